//! The timeline chart: per month, what fell due and what came in (bars) and
//! the balance at the month's end (line). Plain SVG from our own components,
//! so the server renders it and it needs no JavaScript; the same figures
//! follow as a table for screen readers and anyone who prefers numbers.
//!
//! Coordinates are computed from whole cents with integer arithmetic: money
//! is never a float, not even on its way to a picture.

use chrono::Datelike;
use leptos::prelude::*;

use crate::components::text;
use crate::i18n::*;
use crate::ledger::{Money, Month};

/// The drawing's own units: it scales to the width of the page. A phone
/// gets a narrow drawing and a wider screen a wide one, so the text stays
/// about the same size on both.
const NARROW: i64 = 330;
const WIDE: i64 = 640;
const HEIGHT: i64 = 250;
/// Room on the left for the amounts of the axes.
const LEFT: i64 = 52;
const RIGHT: i64 = 8;
/// The balance panel, then the due/received panel, top to bottom.
const BALANCE_TOP: i64 = 22;
const BALANCE_BOTTOM: i64 = 104;
const BARS_TOP: i64 = 142;
const BARS_BOTTOM: i64 = 222;
const LABELS_Y: i64 = 240;

/// A coordinate in tenths of a unit, written as SVG reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tenths(i64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", self.0.abs() / 10, self.0.abs() % 10)
    }
}

/// Where `value` falls between `low` (at `bottom`) and `high` (at `top`).
fn y_of(value: i64, low: i64, high: i64, top: i64, bottom: i64) -> Tenths {
    let span = i128::from((high - low).max(1));
    let from_bottom = i128::from(value - low) * i128::from((bottom - top) * 10) / span;
    Tenths(bottom * 10 - i64::try_from(from_bottom).unwrap_or(0))
}

/// The left edge of month `index` of `count` in a drawing `width` wide, and
/// the width of each month.
fn slot(index: usize, count: usize, width: i64) -> (Tenths, Tenths) {
    let each = (width - LEFT - RIGHT) * 10 / count.max(1) as i64;
    (Tenths(LEFT * 10 + each * index as i64), Tenths(each))
}

/// The months that get a label: each January, and the first month unless a
/// January follows too closely for both to fit.
fn labelled(months: &[Month]) -> Vec<usize> {
    let januaries: Vec<usize> = (0..months.len())
        .filter(|&i| months[i].month.month() == 1)
        .collect();
    let first_fits = januaries.first().is_none_or(|&j| j == 0 || j >= 4);
    let mut labels: Vec<usize> = januaries;
    if first_fits && !labels.contains(&0) && !months.is_empty() {
        labels.insert(0, 0);
    }
    labels
}

/// A round number at or above `cents`, for the top of an axis.
fn nice_ceiling(cents: i64) -> i64 {
    let mut step = 100; // one dollar
    while step * 10 <= cents {
        step *= 10;
    }
    let steps = ((cents + step - 1) / step).max(1);
    let steps = match steps {
        1 | 2 | 5 | 10 => steps,
        3..=4 => 5,
        _ => 10,
    };
    steps * step
}

/// Whole dollars for an axis: `$12,000`.
fn axis_amount(cents: i64) -> String {
    Money::from_cents(cents / 100 * 100)
        .to_string()
        .trim_end_matches(".00")
        .to_owned()
}

#[component]
pub fn TimelineChart(months: Vec<Month>, opening: Money) -> impl IntoView {
    let i18n = use_i18n();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return ().into_any();
    };
    let (first, last, closing) = (first.month, last.month, last.closing.balance);
    let due: Money = months.iter().map(|m| m.due).sum();
    let received: Money = months.iter().map(|m| m.received).sum();
    let month_name = move |month| move || text::month(i18n.get_locale(), month);
    let scales = Scales::of(&months);
    view! {
        <figure class="chart" aria-labelledby="chart-title">
            <p id="chart-title" class="chart-title">{t!(i18n, chart.title)}</p>
            <p id="chart-desc" class="visually-hidden">
                {t!(
                    i18n,
                    chart.description,
                    from = month_name(first),
                    to = month_name(last),
                    opening = move || opening.to_string(),
                    closing = move || closing.to_string(),
                    due = move || due.to_string(),
                    received = move || received.to_string()
                )}
            </p>
            <Drawing months=months.clone() scales width=NARROW />
            <Drawing months scales width=WIDE />
            <figcaption class="legend">
                <span class="key key-due"></span> {t!(i18n, chart.due)}
                <span class="key key-received"></span> {t!(i18n, chart.received)}
                <span class="key key-balance"></span> {t!(i18n, chart.balance)}
            </figcaption>
        </figure>
    }
    .into_any()
}

/// The ends of both axes: round amounts around the figures.
#[derive(Debug, Clone, Copy)]
struct Scales {
    low: i64,
    high: i64,
    bar_high: i64,
}

impl Scales {
    fn of(months: &[Month]) -> Self {
        let balances = months.iter().map(|m| m.closing.balance.cents_for_drawing());
        let highest = balances.clone().chain([0]).max().unwrap_or(0);
        let lowest = balances.min().unwrap_or(0);
        let bars = months.iter().map(|m| {
            m.due
                .cents_for_drawing()
                .max(m.received.cents_for_drawing())
        });
        Self {
            low: if lowest < 0 {
                -nice_ceiling(-lowest)
            } else {
                0
            },
            high: nice_ceiling(highest),
            bar_high: nice_ceiling(bars.max().unwrap_or(0)),
        }
    }
}

/// One drawing of the chart, `width` units wide.
#[component]
fn Drawing(months: Vec<Month>, scales: Scales, width: i64) -> impl IntoView {
    let i18n = use_i18n();
    let count = months.len();
    let Scales {
        low,
        high,
        bar_high,
    } = scales;
    let line = balance_line(&months, low, high, width);
    let zero_y = y_of(0, low, high, BALANCE_TOP, BALANCE_BOTTOM).to_string();
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, month)| {
            let (x, w) = slot(i, count, width);
            let bar = Tenths((w.0 * 4 / 10).max(5));
            let due_x = Tenths(x.0 + w.0 / 10);
            let received_x = Tenths(due_x.0 + bar.0);
            let top = |cents: i64| y_of(cents, 0, bar_high, BARS_TOP, BARS_BOTTOM);
            let height = |cents: i64| Tenths(BARS_BOTTOM * 10 - top(cents).0);
            let (due, received) = (
                month.due.cents_for_drawing(),
                month.received.cents_for_drawing(),
            );
            view! {
                <rect class="bar-due" x=due_x.to_string() y=top(due).to_string()
                    width=bar.to_string() height=height(due).to_string() />
                <rect class="bar-received" x=received_x.to_string() y=top(received).to_string()
                    width=bar.to_string() height=height(received).to_string() />
            }
        })
        .collect_view();
    let labels = labelled(&months)
        .into_iter()
        .map(|i| {
            let (x, _) = slot(i, count, width);
            let month = months[i].month;
            view! {
                <text class="axis" x=x.to_string() y=LABELS_Y>
                    {move || {
                        format!("{} {}", text::month_short(i18n.get_locale(), month), month.year())
                    }}
                </text>
            }
        })
        .collect_view();
    let class = if width == NARROW { "narrow" } else { "wide" };
    view! {
        <svg
            class=class
            viewBox=format!("0 0 {width} {HEIGHT}")
            role="img"
            aria-labelledby="chart-title"
            aria-describedby="chart-desc"
        >
            <text class="panel-label" x=LEFT y="12">{t!(i18n, chart.balance_label)}</text>
            <text class="axis" x=LEFT - 4 y=BALANCE_TOP + 4 text-anchor="end">{axis_amount(high)}</text>
            <text class="axis" x=LEFT - 4 y=BALANCE_BOTTOM text-anchor="end">{axis_amount(low)}</text>
            <line class="grid" x1=LEFT x2=width - RIGHT y1=zero_y.clone() y2=zero_y />
            <polyline class="balance-line" points=line />
            <text class="panel-label" x=LEFT y=BARS_TOP - 10>{t!(i18n, chart.bars_label)}</text>
            <text class="axis" x=LEFT - 4 y=BARS_TOP + 4 text-anchor="end">{axis_amount(bar_high)}</text>
            <text class="axis" x=LEFT - 4 y=BARS_BOTTOM text-anchor="end">"$0"</text>
            <line class="grid" x1=LEFT x2=width - RIGHT y1=BARS_BOTTOM y2=BARS_BOTTOM />
            {bars}
            {labels}
        </svg>
    }
    .into_any()
}

/// The balance line's points: each month's closing balance over the
/// middle of its slot.
fn balance_line(months: &[Month], low: i64, high: i64, width: i64) -> String {
    let count = months.len();
    months
        .iter()
        .enumerate()
        .map(|(i, month)| {
            let (x, w) = slot(i, count, width);
            let middle = Tenths(x.0 + w.0 / 2);
            let balance = month.closing.balance.cents_for_drawing();
            let y = y_of(balance, low, high, BALANCE_TOP, BALANCE_BOTTOM);
            format!("{middle},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The chart's figures as a table. Each row adds up: the balance before,
/// plus what fell due, less what came in, plus what reversals took back,
/// is the month's closing balance. `sent`: the money sent on to the
/// receiving parent has its own column (held money is not sent).
#[component]
pub fn MonthsTable(months: Vec<Month>, sent: bool) -> impl IntoView {
    let i18n = use_i18n();
    let taken_back = months.iter().any(|m| !m.taken_back.is_zero());
    view! {
        <table class="ledger months-table">
            <caption>{t!(i18n, chart.table_caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, chart.month)}</th>
                    <th scope="col">{t!(i18n, chart.due)}</th>
                    <th scope="col">{t!(i18n, chart.received)}</th>
                    {taken_back.then(|| view! { <th scope="col">{t!(i18n, chart.taken_back)}</th> })}
                    {sent.then(|| view! { <th scope="col">{t!(i18n, chart.sent)}</th> })}
                    <th scope="col">{t!(i18n, chart.balance)}</th>
                </tr>
            </thead>
            <tbody>
                {months.into_iter().rev().map(|m| view! {
                    <tr>
                        <th scope="row">{move || text::month(i18n.get_locale(), m.month)}</th>
                        <td class="num">{m.due.to_string()}</td>
                        <td class="num">{m.received.to_string()}</td>
                        {taken_back.then(|| view! { <td class="num">{m.taken_back.to_string()}</td> })}
                        {sent.then(|| view! { <td class="num">{m.sent.to_string()}</td> })}
                        <td class="num">{m.closing.balance.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_amounts() {
        assert_eq!(nice_ceiling(0), 100);
        assert_eq!(nice_ceiling(45_000), 50_000, "$450 → $500");
        assert_eq!(nice_ceiling(1_234_567), 2_000_000, "$12,345.67 → $20,000");
        assert_eq!(nice_ceiling(30_000), 50_000);
        assert_eq!(nice_ceiling(100_000), 100_000);
        assert_eq!(axis_amount(2_000_000), "$20,000");
    }

    #[test]
    fn januaries_are_labelled_and_the_first_month_when_it_fits() {
        let months = |first: u32| -> Vec<Month> {
            (0..24)
                .map(|i| Month {
                    month: chrono::NaiveDate::from_ymd_opt(2024, first, 1)
                        .and_then(|d| d.checked_add_months(chrono::Months::new(i)))
                        .unwrap_or_default(),
                    ..Default::default()
                })
                .collect()
        };
        assert_eq!(
            labelled(&months(12)),
            [1, 13],
            "Dec 2024 would crowd Jan 2025"
        );
        assert_eq!(labelled(&months(6)), [0, 7, 19]);
        assert_eq!(labelled(&months(1)), [0, 12]);
    }

    #[test]
    fn values_map_into_their_panel() {
        assert_eq!(y_of(0, 0, 1000, 10, 110), Tenths(1100));
        assert_eq!(y_of(1000, 0, 1000, 10, 110), Tenths(100));
        assert_eq!(y_of(500, 0, 1000, 10, 110), Tenths(600));
        assert_eq!(Tenths(1234).to_string(), "123.4");
        let (x, w) = slot(23, 24, NARROW);
        assert!(x.0 + w.0 <= (NARROW - RIGHT) * 10);
    }
}
