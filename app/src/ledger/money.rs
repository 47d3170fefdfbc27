//! Exact money. Every amount in the portal is a `Money`: a decimal number of
//! dollars with exactly two places, never a float.
//!
//! **Rounding rule, stated once:** whenever a computation produces fractions of
//! a cent (a percentage fee, interest, a split), it is rounded to the nearest
//! cent, halves away from zero (`$0.125 → $0.13`, `-$0.125 → -$0.13`), by
//! [`Money::round`]. Nothing else rounds. Input with more than two decimals is
//! refused rather than rounded, so what a person typed is what is stored.
//! The database stores integer cents ([`Money::cents`], [`Money::from_cents`]).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("not an amount of money")]
    NotANumber,
    #[error("use at most two decimal places (cents)")]
    TooManyDecimals,
    #[error("amount is too large")]
    TooLarge,
}

/// Larger than any real support amount, small enough that cents fit an i64.
const LIMIT_CENTS: i64 = 100_000_000_000_000; // one trillion dollars, in cents

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn from_cents(cents: i64) -> Self {
        Money(Decimal::new(cents, 2))
    }

    /// Whole cents, for storage. Exact: a `Money` never holds a fraction of a cent.
    /// A sum of many amounts can grow past what 64 bits of cents hold: that
    /// is `TooLarge`, never a wrong number.
    pub fn cents(self) -> Result<i64, MoneyError> {
        self.whole_cents()
            .and_then(|cents| i64::try_from(cents).ok())
            .ok_or(MoneyError::TooLarge)
    }

    /// Whole cents in a test, where an amount past 64 bits is a failed test.
    #[cfg(test)]
    pub fn test_cents(self) -> i64 {
        self.cents()
            .unwrap_or_else(|error| panic!("{self}: {error}"))
    }

    /// Whole cents, exactly, past 64 bits too; `None` only where a
    /// hundredfold is beyond what a decimal holds at all.
    fn whole_cents(self) -> Option<i128> {
        self.0
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|cents| i128::try_from(cents).ok())
    }

    /// Whole cents where only a size is needed (a bar's height in a chart):
    /// beyond 64 bits, drawn at the limit. The amount itself is shown exactly.
    pub fn cents_for_drawing(self) -> i64 {
        self.cents().unwrap_or(if self.0.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    /// A tenth of this, in whole dollars (toward zero): the extra payment a
    /// plan suggests when the order sets no pace of its own.
    pub fn tenth_in_whole_dollars(self) -> Money {
        Money((self.0 / Decimal::TEN).trunc())
    }

    /// The one place fractions of a cent become cents (see the module docs).
    pub fn round(value: Decimal) -> Result<Self, MoneyError> {
        let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        Self::checked(rounded)
    }

    /// Parses what a person typed: `1234.5`, `$1,234.50`, `-20`. At most two
    /// decimals; thousands separators and a leading `$` are accepted.
    pub fn parse(input: &str) -> Result<Self, MoneyError> {
        let trimmed = input.trim();
        let (negative, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let digits: String = unsigned
            .strip_prefix('$')
            .unwrap_or(unsigned)
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let valid = !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.matches('.').count() <= 1
            && digits != ".";
        if !valid {
            return Err(MoneyError::NotANumber);
        }
        let value = Decimal::from_str(&digits).map_err(|_| MoneyError::TooLarge)?;
        if value.scale() > 2 && value.normalize().scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        Self::checked(if negative { -value } else { value })
    }

    fn checked(value: Decimal) -> Result<Self, MoneyError> {
        if value.abs() >= Decimal::new(LIMIT_CENTS, 2) {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(value.round_dp(2)))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    #[inline]
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    // Sign tests without a comparison (which would rescale to ZERO's scale).
    #[inline]
    pub fn is_positive(self) -> bool {
        !self.0.is_zero() && self.0.is_sign_positive()
    }

    #[inline]
    pub fn is_negative(self) -> bool {
        !self.0.is_zero() && self.0.is_sign_negative()
    }

    pub fn abs(self) -> Self {
        Money(self.0.abs())
    }

    /// `self` scaled by a whole number (e.g. an amount per period × periods).
    pub fn times(self, count: u32) -> Self {
        Money(self.0 * Decimal::from(count))
    }

    /// The part of this amount owed for `days` of a period of `of` days,
    /// rounded by the one rule (to the cent, halves away from zero). Exact:
    /// worked out in whole cents, never more than the amount itself.
    pub fn prorate(self, days: u32, of: u32) -> Self {
        if of == 0 || days >= of {
            return self;
        }
        // Only what an order says is prorated, read from i64 cents.
        let Some(cents) = self.whole_cents() else {
            return self;
        };
        let (days, of) = (i128::from(days), i128::from(of));
        // Round half away from zero: (2·c·d ± of) / (2·of), truncated.
        let twice = 2 * cents * days;
        let rounded = match cents.is_negative() {
            false => (twice + of) / (2 * of),
            true => (twice - of) / (2 * of),
        };
        // |rounded| ≤ |cents|, which the amount itself holds: it fits.
        Decimal::try_from_i128_with_scale(rounded, 2).map_or(self, Money)
    }

    /// `rate` (e.g. 0.02 for 2 %) of this amount, rounded by the one rule.
    pub fn percent_of(self, rate: Decimal) -> Result<Self, MoneyError> {
        Self::round(self.0 * rate)
    }
}

impl fmt::Display for Money {
    /// `$1,234.56`, `-$20.00`: the plain form; pages format per language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = self.0.abs();
        let dollars = amount.trunc().to_string();
        let cents = (amount.fract() * Decimal::ONE_HUNDRED).trunc().to_string();
        let mut grouped = String::with_capacity(dollars.len() + dollars.len() / 3);
        for (i, digit) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        let sign = if self.is_negative() { "-" } else { "" };
        write!(f, "{sign}${grouped}.{cents:0>2}")
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl TryFrom<String> for Money {
    type Error = MoneyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Money::parse(&value)
    }
}

impl From<Money> for String {
    fn from(value: Money) -> Self {
        format!("{:.2}", value.0)
    }
}

// Adding or taking away nothing is the commonest sum in a statement (a charge
// line receives nothing, a payment line falls due nothing). Skipped, it costs a
// test instead of a decimal operation; the value is the same either way.
impl Add for Money {
    type Output = Money;
    #[inline]
    fn add(self, rhs: Money) -> Money {
        if rhs.is_zero() {
            self
        } else if self.is_zero() {
            rhs
        } else {
            Money(self.0 + rhs.0)
        }
    }
}

impl AddAssign for Money {
    #[inline]
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    #[inline]
    fn sub(self, rhs: Money) -> Money {
        if rhs.is_zero() {
            self
        } else {
            Money(self.0 - rhs.0)
        }
    }
}

impl SubAssign for Money {
    #[inline]
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Neg for Money {
    type Output = Money;
    #[inline]
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_sum_past_what_cents_can_hold_is_an_error_not_zero() {
        let most = Money::from_cents(i64::MAX);
        assert_eq!(most.cents(), Ok(i64::MAX));
        assert_eq!((most + most).cents(), Err(MoneyError::TooLarge));
        assert_eq!((-most - most).cents(), Err(MoneyError::TooLarge));
        assert_eq!((most + most).cents_for_drawing(), i64::MAX);
        assert_eq!((-most - most).cents_for_drawing(), i64::MIN);
    }

    #[test]
    fn a_tenth_in_whole_dollars_rounds_toward_zero() {
        assert_eq!(money("123.45").tenth_in_whole_dollars(), money("12"));
        assert_eq!(money("9.99").tenth_in_whole_dollars(), Money::ZERO);
        assert_eq!(money("-123.45").tenth_in_whole_dollars(), money("-12"));
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(money("1234.5"), Money::from_cents(123_450));
        assert_eq!(money("$1,234.50"), Money::from_cents(123_450));
        assert_eq!(money(" 20 "), Money::from_cents(2_000));
        assert_eq!(money("-$20"), Money::from_cents(-2_000));
        assert_eq!(money("0.10"), Money::from_cents(10));
        assert_eq!(
            money("5.000"),
            Money::from_cents(500),
            "trailing zeros are not cents"
        );
    }

    #[test]
    fn refuses_what_is_not_money() {
        for bad in ["", "abc", "1.2.3", ".", "$", "12e3", "1 000", "NaN", "--5"] {
            assert_eq!(Money::parse(bad), Err(MoneyError::NotANumber), "{bad:?}");
        }
        assert_eq!(Money::parse("1.005"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("99999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn rounds_half_away_from_zero_in_one_place() {
        let round = |s: &str| Money::round(Decimal::from_str(s).unwrap_or_default());
        assert_eq!(round("0.125"), Ok(Money::from_cents(13)));
        assert_eq!(round("-0.125"), Ok(Money::from_cents(-13)));
        assert_eq!(round("0.124"), Ok(Money::from_cents(12)));
        assert_eq!(
            money("402.50").percent_of(Decimal::new(2, 2)),
            Ok(Money::from_cents(805)),
            "a 2% fee on $402.50 is $8.05"
        );
    }

    #[test]
    fn displays_dollars_and_cents() {
        assert_eq!(Money::from_cents(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Money::from_cents(-2_000).to_string(), "-$20.00");
        assert_eq!(Money::ZERO.to_string(), "$0.00");
        assert_eq!(Money::from_cents(5).to_string(), "$0.05");
    }

    #[test]
    fn serializes_as_an_exact_string() {
        let json = serde_json::to_string(&Money::from_cents(40_010)).unwrap_or_default();
        assert_eq!(json, "\"400.10\"");
        let back: Money = serde_json::from_str("\"400.10\"").unwrap_or_default();
        assert_eq!(back, Money::from_cents(40_010));
        assert!(serde_json::from_str::<Money>("\"400.101\"").is_err());
    }

    #[test]
    fn adding_nothing_changes_nothing_shown() {
        let typed = money("20");
        for sum in [
            typed + Money::ZERO,
            Money::ZERO + typed,
            typed - Money::ZERO,
        ] {
            assert_eq!(sum, Money::from_cents(2_000));
            assert_eq!(sum.to_string(), "$20.00");
            assert_eq!(String::from(sum), "20.00");
        }
        let mut running = Money::ZERO;
        running += typed;
        running -= Money::ZERO;
        assert_eq!(running.cents(), Ok(2_000));
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents in -LIMIT_CENTS + 1..LIMIT_CENTS) {
            prop_assert_eq!(Money::from_cents(cents).cents(), Ok(cents));
            let shown = String::from(Money::from_cents(cents));
            prop_assert_eq!(Money::parse(&shown), Ok(Money::from_cents(cents)));
        }

        #[test]
        fn addition_is_exact(a in -1_000_000_000i64..1_000_000_000, b in -1_000_000_000i64..1_000_000_000) {
            let sum = Money::from_cents(a) + Money::from_cents(b);
            prop_assert_eq!(sum.cents(), Ok(a + b));
            prop_assert_eq!((sum - Money::from_cents(b)).cents(), Ok(a));
            let mut running = Money::from_cents(a);
            running += Money::from_cents(b);
            running -= Money::from_cents(a);
            prop_assert_eq!(running.cents(), Ok(b));
        }
    }
}
