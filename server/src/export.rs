//! `GET /cases/{number}/history.csv?from=&to=`: the history of a range as a
//! spreadsheet, with the running balance. Same checks as the pages: signed
//! in, allowed on the case, dates readable.
//!
//! Amounts are plain numbers (`1234.56`, no `$` or commas) and dates ISO, so
//! every spreadsheet reads them as numbers and dates. The first row is the
//! balance at the start; each line's `change` added to it gives the next
//! `balance`, so the column sums to the balance at the end.

use app::balance::history::{Filter, HistoryLine, Life, LineKind};
use app::balance::model::PrintStatement;
use app::error::AppError;
use app::ledger::{EntryKind, Money};
use app::server::access::{authorize, CaseAction};
use app::server::audit::{self, AuditAction};
use app::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::browser::{refusal, signed_in};

#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

pub async fn history_csv(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(range): Query<Range>,
) -> Response {
    match statement(&state, &session, &number, range).await {
        Ok(statement) => match csv_of(&statement, spanish(&headers)) {
            Ok(body) => {
                let name = format!(
                    "attachment; filename=\"{}-{}-{}.csv\"",
                    statement.case_number, statement.filter.from, statement.filter.to
                );
                (
                    [
                        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                        (header::CONTENT_DISPOSITION, name),
                        (header::CACHE_CONTROL, "no-store".to_owned()),
                    ],
                    body,
                )
                    .into_response()
            }
            Err(error) => {
                tracing::error!(%error, "writing a CSV export");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        Err(error) => refusal(error, &format!("/cases/{number}/history")),
    }
}

async fn statement(
    state: &AppState,
    session: &Session,
    number: &str,
    range: Range,
) -> Result<PrintStatement, AppError> {
    let reader = signed_in(state, session).await?;
    let authorized = authorize(&state.reads, &state.db, &reader, number, CaseAction::View).await?;
    let clock = state.clock();
    let filter = Filter::read(
        range.from.as_deref(),
        range.to.as_deref(),
        None,
        None,
        Life::new(authorized.case.opened_on, clock.today()),
    )?;
    let detail = Some(format!("{} to {}", filter.from, filter.to));
    let case = authorized.case.id;
    audit::staff_read(
        &state.db,
        &reader,
        AuditAction::HistoryExported,
        case,
        detail,
    )
    .await?;
    app::balance::service::printable(
        &state.reads,
        &state.ledgers,
        &state.histories,
        authorized.case,
        filter,
        clock.as_of(),
    )
    .await
}

/// The reader chose Spanish (the language cookie).
fn spanish(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(app::account::language::from_cookies)
        == Some(app::i18n::Locale::es)
}

const COLUMNS: usize = 16;

const HEADINGS_EN: [&str; COLUMNS] = [
    "date",
    "entry",
    "kind",
    "detail",
    "due",
    "received",
    "paid_current",
    "paid_past_due",
    "taken_back",
    "sent",
    "held",
    "fee",
    "change",
    "balance",
    "reversed_later",
    "note",
];
const HEADINGS_ES: [&str; COLUMNS] = [
    "fecha",
    "movimiento",
    "tipo",
    "detalle",
    "debido",
    "recibido",
    "pago_actual",
    "pago_atrasado",
    "revertido",
    "enviado",
    "retenido",
    "tarifa",
    "cambio",
    "saldo",
    "revertido_despues",
    "nota",
];

pub fn csv_of(statement: &PrintStatement, spanish: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(if spanish { HEADINGS_ES } else { HEADINGS_EN })?;
    let opening = statement.opening.balance;
    let mut start: [String; COLUMNS] = Default::default();
    start[0] = statement.filter.from.to_string();
    start[2] = "opening_balance".into();
    start[COLUMNS - 3] = plain(opening);
    out.write_record(&start)?;
    for line in &statement.lines {
        out.write_record(record(line))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

fn record(line: &HistoryLine) -> [String; COLUMNS] {
    let l = &line.line;
    let detail = match l.kind {
        EntryKind::Charge { obligation } => obligation.as_str().to_owned(),
        EntryKind::Payment { source } => source.as_str().to_owned(),
        EntryKind::Reversal { reverses } => match line.reverses {
            Some((on, kind)) => format!("{} {on} (entry {reverses})", kind.as_str()),
            None => format!("entry {reverses}"),
        },
        _ => String::new(),
    };
    let kind = match l.kind {
        EntryKind::Disbursement => "sent",
        EntryKind::Hold => "hold",
        EntryKind::Release => "release",
        EntryKind::Fee => "fee",
        other => LineKind::of(&other).as_str(),
    };
    [
        l.date.to_string(),
        l.entry.to_string(),
        kind.to_owned(),
        detail,
        plain(l.due),
        plain(l.received),
        plain(l.paid_current),
        plain(l.paid_past_due),
        plain(l.taken_back),
        plain(l.sent),
        plain(l.held),
        plain(l.fee),
        plain(line.change),
        plain(l.running_balance),
        if l.reversed { "yes" } else { "" }.to_owned(),
        line.note.as_deref().map(inert).unwrap_or_default(),
    ]
}

/// A caseworker's text as a spreadsheet shows it, never as a formula
/// (OWASP's CSV injection advice: a leading `=`, `+`, `-`, `@` is quoted).
fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// `1234.56`, `-20.00`.
fn plain(money: Money) -> String {
    money.amount().to_string()
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn notes_never_become_formulas() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("Check returned"), "Check returned");
    }
}
