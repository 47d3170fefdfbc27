//! What the ledger holds: entries, appended and never changed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::money::Money;

/// What an obligation on an order is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    ChildSupport,
    SpousalSupport,
    MedicalSupport,
    /// An extra amount per period to pay down past-due support. It sets the
    /// pace of repayment; it is not new money owed, so it never posts a charge.
    ArrearsPayment,
    /// Interest on past-due support, where the agency charges it: posted by
    /// accrual each month (see [`super::interest`]), paid after all support.
    Interest,
}

impl ObligationKind {
    pub const ALL: [ObligationKind; 5] = [
        ObligationKind::ChildSupport,
        ObligationKind::SpousalSupport,
        ObligationKind::MedicalSupport,
        ObligationKind::ArrearsPayment,
        ObligationKind::Interest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObligationKind::ChildSupport => "child_support",
            ObligationKind::SpousalSupport => "spousal_support",
            ObligationKind::MedicalSupport => "medical_support",
            ObligationKind::ArrearsPayment => "arrears_payment",
            ObligationKind::Interest => "interest",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether each due date adds to what is owed.
    pub fn accrues(self) -> bool {
        self != ObligationKind::ArrearsPayment
    }

    /// Support itself (not the pace of paying it, nor interest on it).
    pub fn is_support(self) -> bool {
        matches!(
            self,
            ObligationKind::ChildSupport
                | ObligationKind::SpousalSupport
                | ObligationKind::MedicalSupport
        )
    }
}

/// How a payment reached the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentSource {
    /// Deducted from wages by the employer.
    IncomeWithholding,
    /// Paid by the parent (online, by mail, at the office).
    Direct,
    /// Taken from a federal or state tax refund.
    TaxIntercept,
    /// A one-off sum: insurance settlement, lottery, severance.
    LumpSum,
    /// Taken from a bank account or property by order.
    Garnishment,
    /// Deducted from unemployment benefits.
    Unemployment,
}

impl PaymentSource {
    pub const ALL: [PaymentSource; 6] = [
        PaymentSource::IncomeWithholding,
        PaymentSource::Direct,
        PaymentSource::TaxIntercept,
        PaymentSource::LumpSum,
        PaymentSource::Garnishment,
        PaymentSource::Unemployment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentSource::IncomeWithholding => "income_withholding",
            PaymentSource::Direct => "direct",
            PaymentSource::TaxIntercept => "tax_intercept",
            PaymentSource::LumpSum => "lump_sum",
            PaymentSource::Garnishment => "garnishment",
            PaymentSource::Unemployment => "unemployment",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The kind of an entry and what it needs beyond an amount and a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryKind {
    /// Support fell due (posted by accrual). Adds to what is owed.
    Charge { obligation: ObligationKind },
    /// Money received from the paying parent. Pays what is owed.
    Payment { source: PaymentSource },
    /// A caseworker's correction of what is owed: a positive amount adds to it
    /// (e.g. a court's judgment for past support), a negative one reduces it.
    Adjustment,
    /// Cancels the entry it names, as if it had never counted (a bounced
    /// payment, a charge posted in error). The only way to correct history.
    Reversal { reverses: i64 },
    /// Money sent to the receiving parent. Does not change what is owed.
    Disbursement,
    /// Money received but held back (e.g. address unknown, dispute).
    Hold,
    /// Held money let go to the receiving parent.
    Release,
    /// The agency's annual service fee, kept from money sent on to the
    /// receiving parent ([`super::fee`]). Does not change what is owed.
    Fee,
}

/// One line of a case's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Database id: posting order, used only to name entries (reversals).
    pub id: i64,
    /// Unique and meaningful (`charge:<obligation>:<due date>`,
    /// `withholding:<employer>:<pay date>`): it orders same-day entries, so the
    /// result never depends on the order entries were posted in.
    pub key: String,
    pub kind: EntryKind,
    /// Positive, except for adjustments, whose sign says which way they go.
    pub amount: Money,
    /// The date it counts from: due date of a charge, date a payment was received.
    pub effective: NaiveDate,
}

impl Entry {
    /// What this entry does to the balance owed, before any reversal.
    pub fn balance_effect(&self) -> Money {
        match self.kind {
            EntryKind::Charge { obligation } if obligation.accrues() => self.amount,
            EntryKind::Charge { .. } => Money::ZERO,
            EntryKind::Payment { .. } => -self.amount,
            EntryKind::Adjustment => self.amount,
            EntryKind::Reversal { .. }
            | EntryKind::Disbursement
            | EntryKind::Hold
            | EntryKind::Release
            | EntryKind::Fee => Money::ZERO,
        }
    }
}

impl Entry {
    /// What it sent on to the receiving parent.
    pub fn sent(&self) -> Money {
        match self.kind {
            EntryKind::Disbursement => self.amount,
            _ => Money::ZERO,
        }
    }

    /// What the agency kept as its service fee.
    pub fn fee(&self) -> Money {
        match self.kind {
            EntryKind::Fee => self.amount,
            _ => Money::ZERO,
        }
    }

    /// What it put on hold (negative: released).
    pub fn held(&self) -> Money {
        match self.kind {
            EntryKind::Hold => self.amount,
            EntryKind::Release => -self.amount,
            _ => Money::ZERO,
        }
    }
}

/// What happened when an entry was offered to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// Appended with this id.
    New(i64),
    /// The same entry was already there under this key: nothing changed.
    AlreadyPosted(i64),
    /// The key is taken by a different entry: refused, nothing changed.
    KeyConflict(i64),
}

/// Appends `entry` unless its key is already in `ledger`. The database does
/// the same with a unique index on the key; this is the rule both follow.
pub fn post(ledger: &mut Vec<Entry>, mut entry: Entry) -> Posted {
    if let Some(existing) = ledger.iter().find(|e| e.key == entry.key) {
        let same = existing.kind == entry.kind
            && existing.amount == entry.amount
            && existing.effective == entry.effective;
        return if same {
            Posted::AlreadyPosted(existing.id)
        } else {
            Posted::KeyConflict(existing.id)
        };
    }
    entry.id = ledger.iter().map(|e| e.id).max().unwrap_or(0) + 1;
    let id = entry.id;
    ledger.push(entry);
    Posted::New(id)
}
