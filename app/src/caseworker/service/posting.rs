//! Posting a payment, adjustment, hold, release or reversal: checked, shown
//! for review, then stored in one transaction with its audit line.

use chrono::NaiveDate;
use entity::cases;
use sea_orm::ConnectionTrait;

use crate::caseworker::model::{EntryLine, Posting, PostingForm, PostingReview};
use crate::caseworker::rules::{read_posting, Proposed};
use crate::error::{AppError, Field, Problem};
use crate::ledger::rules::{self, Refused};
use crate::ledger::{Allocation, Entry, EntryKind, Money};
use crate::reader::User;
use crate::server::access::{authorize, CaseAction};
use crate::server::audit::{AuditAction, AuditEvent, Source};
use crate::server::caller::Caller;
use crate::server::internal;
use crate::server::ledger::case_entries;
use crate::server::ledger::posting::{self, NewEntry, PostingError};
use crate::server::ledger::record::RecentEntry;
use crate::server::ledger::store::{kind_name, written};
use crate::server::secret::form_key;

use super::ledger_key;

/// A posting checked against the form's rules and the ledger as it stands.
struct Checked {
    case: cases::Model,
    proposed: Proposed,
    entries: Vec<Entry>,
    /// For a reversal: the entry it cancels, as the case file lists it.
    target: Option<EntryLine>,
}

async fn check_posting(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    form: &PostingForm,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let case = authorize(db, db, reader, case_number, CaseAction::Post)
        .await?
        .case;
    let proposed = read_posting(form, today, case.opened_on)?;
    let entries = case_entries(db, case.id).await.map_err(internal)?;
    // Out of history: reversed entries and retracted reversals.
    let reversed = Allocation::replay(&entries, NaiveDate::MAX).reversed;
    let mut target = None;
    if proposed.posting == Posting::Reversal {
        let wanted = proposed.reverses.unwrap_or_default();
        let Some(entry) = entries.iter().find(|e| e.id == wanted) else {
            return Err(AppError::invalid(Field::Entry, Problem::Required));
        };
        let written = written(db, wanted)
            .await?
            .ok_or_else(|| internal(format!("entry {wanted} vanished")))?;
        let recent = RecentEntry::of(entry, &entries, &reversed, written);
        target = Some(EntryLine::of(recent, None));
    }
    let checked = Checked {
        case,
        proposed,
        entries,
        target,
    };
    let proposed_entry = checked.entry(i64::MAX, "~review");
    rules::check(&checked.entries, &proposed_entry).map_err(|refused| match refused {
        Refused::BeforeEntry(_) => AppError::invalid(Field::Date, Problem::BeforeEntry),
        // A reversal's form has no amount: the entry it names is the problem.
        Refused::MoreThanHeld(_) if checked.proposed.posting == Posting::Reversal => {
            AppError::invalid(Field::Entry, Problem::MoreThanHeld)
        }
        Refused::MoreThanHeld(_) => AppError::invalid(Field::Amount, Problem::MoreThanHeld),
        Refused::NoSuchEntry => AppError::invalid(Field::Entry, Problem::Required),
        Refused::AlreadyReversed | Refused::Reinstatement | Refused::NoEffect => {
            AppError::invalid(Field::Entry, Problem::NotReversible)
        }
    })?;
    Ok(checked)
}

impl Checked {
    /// The posting as a ledger entry, numbered `id`.
    fn entry(&self, id: i64, key: &str) -> Entry {
        Entry {
            id,
            key: key.into(),
            kind: self.kind(),
            amount: self.proposed.amount,
            effective: self.proposed.date,
        }
    }
    fn kind(&self) -> EntryKind {
        match self.proposed.posting {
            Posting::Payment => EntryKind::Payment {
                source: self
                    .proposed
                    .source
                    .unwrap_or(crate::ledger::PaymentSource::Direct),
            },
            Posting::Adjustment => EntryKind::Adjustment,
            Posting::Hold => EntryKind::Hold,
            Posting::Release => EntryKind::Release,
            Posting::Reversal => EntryKind::Reversal {
                reverses: self.proposed.reverses.unwrap_or_default(),
            },
        }
    }

    /// The balance now and with this posting.
    fn balances(&self, today: NaiveDate) -> (Money, Money) {
        let before = Allocation::replay(&self.entries, today).balance();
        let mut with = self.entries.clone();
        let id = with.iter().map(|e| e.id).max().unwrap_or(0) + 1;
        with.push(self.entry(id, "~review"));
        (before, Allocation::replay(&with, today).balance())
    }
}

/// What a posting will do, to confirm; nothing is stored.
pub async fn review_posting(
    caller: &Caller,
    case_number: &str,
    form: &PostingForm,
) -> Result<PostingReview, AppError> {
    let (db, reader, today) = (caller.db(), &caller.reader, caller.clock.today());
    let checked = check_posting(db, reader, case_number, form, today).await?;
    let (balance_before, balance_after) = checked.balances(today);
    let proposed = &checked.proposed;
    Ok(PostingReview {
        case_number: checked.case.case_number.clone(),
        posting: proposed.posting,
        amount: match &checked.target {
            Some(target) => target.amount,
            None => proposed.amount,
        },
        date: proposed.date,
        source: proposed.source,
        reference: proposed.reference.clone(),
        reason: proposed.reason.clone(),
        reverses: checked.target.clone(),
        balance_before,
        balance_after,
        key: form_key(),
    })
}

/// Stores a reviewed posting; the entry's id. The same form sent again
/// (a double click, a reload) returns the entry it already stored.
pub async fn post(
    caller: &Caller,
    case_number: &str,
    form: &PostingForm,
    key: &str,
) -> Result<i64, AppError> {
    let (db, reader, today) = (caller.db(), &caller.reader, caller.clock.today());
    let fee = caller.state.ledger.service_fee_policy();
    let key = ledger_key(key)?;
    let case = caller.case(case_number, CaseAction::Post).await?.case;
    // Before the ledger checks: once posted, a reversal's entry is reversed
    // and a release's money released, so the second send must stop here.
    if let Some(earlier) = posting::posted_under(db, &key).await.map_err(internal)? {
        let sent = read_posting(form, today, case.opened_on)?;
        let same = earlier.case_id == case.id
            && earlier.posted_by == Some(reader.person_id)
            && earlier.entry.amount == sent.amount
            && earlier.entry.effective == sent.date
            && kind_name(&earlier.entry.kind) == sent.posting.as_str();
        return if same {
            Ok(earlier.entry.id)
        } else {
            Err(AppError::FormUsed)
        };
    }
    let checked = check_posting(db, reader, case_number, form, today).await?;
    let entry = NewEntry {
        case_id: checked.case.id,
        kind: checked.kind(),
        amount: checked.proposed.amount,
        effective: checked.proposed.date,
        reference: checked.proposed.reference.clone(),
        note: checked.proposed.reason.clone(),
        idempotency_key: key,
        posted_by: Some(reader.person_id),
    };
    let event = AuditEvent::new(AuditAction::EntryPosted).by(reader.person_id);
    let audit = Some((event, Source::of_request()));
    match posting::post_audited(db, entry, today, fee, audit).await {
        Ok(crate::ledger::Posted::New(id) | crate::ledger::Posted::AlreadyPosted(id)) => Ok(id),
        Ok(crate::ledger::Posted::KeyConflict(_)) | Err(PostingError::KeyConflict(_)) => {
            Err(AppError::FormUsed)
        }
        Err(PostingError::Audit(error)) => Err(error),
        Err(error) => Err(internal(error)),
    }
}
