//! Telling someone something: a notice written in the same transaction as
//! the event it is about, once (a second with the same dedupe key is
//! dropped), and its e-mail into the outbox (`server::outbox` sends it).
//! Every area writes notices here; the notification centre lists them.

use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{accounts, case_participants, cases, email_outbox, notifications};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use crate::error::AppError;
use crate::ledger::{EntryKind, Money};
use crate::notice::{email_parts, Kind};
use crate::reader::CaseRole;
use crate::server::access::parent_role;

/// Something to tell one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub person: i32,
    pub kind: Kind,
    pub case: Option<i32>,
    pub amount: Option<Money>,
    /// A request's new status, as stored (`RequestStatus::as_str`).
    pub status: Option<&'static str>,
    pub link: String,
    /// The event it is about: the same event never shows twice.
    pub dedupe: String,
}

/// Writes `notice` (once: a second with the same dedupe key is dropped) and,
/// when the person has an account, its e-mail into the outbox.
pub async fn notify(
    txn: &impl ConnectionTrait,
    notice: Notice,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notify_at(txn, notice, now, None).await
}

/// [`notify`], with the e-mail sent to `address` instead of the account's.
pub async fn notify_at(
    txn: &impl ConnectionTrait,
    notice: Notice,
    now: DateTime<Utc>,
    address: Option<String>,
) -> Result<(), AppError> {
    let amount_cents = notice.amount.map(Money::cents).transpose();
    let row = notifications::ActiveModel {
        id: NotSet,
        person_id: Set(notice.person),
        kind: Set(notice.kind.as_str().to_owned()),
        case_id: Set(notice.case),
        amount_cents: Set(amount_cents.map_err(super::internal)?),
        status: Set(notice.status.map(str::to_owned)),
        link: Set(notice.link),
        dedupe_key: Set(notice.dedupe.clone()),
        created_at: Set(now),
        read_at: Set(None),
    };
    // A conflict must not abort the transaction (PostgreSQL would): skip it.
    let inserted = notifications::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notifications::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    if inserted == 0 {
        return Ok(());
    }
    let address = match address {
        Some(address) => Some(address),
        None => {
            accounts::Entity::find()
                .filter(accounts::Column::PersonId.eq(notice.person))
                .select_only()
                .column(accounts::Column::Email)
                .into_tuple::<String>()
                .one(txn)
                .await?
        }
    };
    let Some(address) = address else {
        return Ok(());
    };
    let id = notifications::Entity::find()
        .filter(notifications::Column::DedupeKey.eq(notice.dedupe))
        .select_only()
        .column(notifications::Column::Id)
        .into_tuple::<i32>()
        .one(txn)
        .await?;
    if let Some(id) = id {
        let email = email_outbox::ActiveModel {
            id: NotSet,
            notification_id: Set(id),
            to_address: Set(address),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            sent_at: Set(None),
            last_error: Set(None),
            created_at: Set(now),
        };
        email_outbox::Entity::insert(email)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Tells the parents of a case what a new ledger entry means for them: a
/// payment to the paying parent, money sent to the receiving parent. Only
/// news: an entry dated more than a month back (an import of old history)
/// tells no one.
pub async fn entry_posted(
    txn: &impl ConnectionTrait,
    case: i32,
    entry: i64,
    kind: &EntryKind,
    amount: Money,
    effective: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (told, notice_kind) = match kind {
        EntryKind::Payment { .. } => (CaseRole::PayingParent, Kind::PaymentReceived),
        EntryKind::Disbursement => (CaseRole::ReceivingParent, Kind::MoneySent),
        // Held money is not sent: the case page says why and what to do.
        EntryKind::Hold => (CaseRole::ReceivingParent, Kind::MoneyHeld),
        _ => return Ok(()),
    };
    let month_ago = now
        .date_naive()
        .checked_sub_days(Days::new(31))
        .unwrap_or(NaiveDate::MIN);
    if effective < month_ago {
        return Ok(());
    }
    let Some(number) = case_number(txn, case).await? else {
        return Ok(());
    };
    for (person, role) in parents(txn, case).await? {
        if role != told {
            continue;
        }
        let notice = Notice {
            person,
            kind: notice_kind,
            case: Some(case),
            amount: Some(amount),
            status: None,
            link: match notice_kind {
                Kind::MoneyHeld => format!("/cases/{number}#on-hold"),
                _ => format!("/cases/{number}/history"),
            },
            dedupe: format!("entry:{entry}:{person}"),
        };
        notify(txn, notice, now).await?;
    }
    Ok(())
}

/// The parents of `case` (person, role).
pub async fn parents(
    db: &impl ConnectionTrait,
    case: i32,
) -> Result<Vec<(i32, CaseRole)>, AppError> {
    Ok(case_participants::Entity::find()
        .filter(case_participants::Column::CaseId.eq(case))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| Some((p.person_id, parent_role(&p.role)?)))
        .collect())
}

pub async fn case_number(db: &impl ConnectionTrait, case: i32) -> Result<Option<String>, AppError> {
    Ok(cases::Entity::find_by_id(case)
        .one(db)
        .await?
        .map(|case| case.case_number))
}

/// An e-mail for a notification: in the reader's language first and then
/// the other (an address is not always read by the person who chose), with no
/// detail of the case (an inbox is not always private), and the link to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

pub fn email(
    kind: Kind,
    link: &str,
    portal_url: &str,
    agency: &crate::config::Agency,
    first: crate::i18n::Locale,
) -> Email {
    use crate::i18n::Locale;
    let url = format!("{}{link}", portal_url.trim_end_matches('/'));
    let part = |locale: Locale| {
        let (headline, sign_in, privacy) = email_parts(locale, kind);
        format!("{headline}\n\n{sign_in} {url}\n\n{privacy}\n")
    };
    let second = match first {
        Locale::en => Locale::es,
        Locale::es => Locale::en,
    };
    let (headline, ..) = email_parts(first, kind);
    Email {
        subject: format!("{}: {headline}", agency.name),
        body: format!(
            "{}\n----\n\n{}\n----\n{} · {}\n",
            part(first),
            part(second),
            agency.name,
            agency.phone
        ),
    }
}

#[cfg(test)]
mod email_tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn an_email_speaks_the_readers_language_first() {
        let agency = crate::config::Agency::default();
        let kind = Kind::PaymentReceived;
        let spanish = email(
            kind,
            "/dashboard",
            "https://portal.example/",
            &agency,
            Locale::es,
        );
        let english = email(
            kind,
            "/dashboard",
            "https://portal.example/",
            &agency,
            Locale::en,
        );
        let (headline_es, ..) = super::email_parts(Locale::es, kind);
        let (headline_en, ..) = super::email_parts(Locale::en, kind);
        assert!(spanish.subject.ends_with(headline_es));
        assert!(english.subject.ends_with(headline_en));
        assert!(spanish.body.find(headline_es) < spanish.body.find(headline_en));
        assert!(english.body.find(headline_en) < english.body.find(headline_es));
        assert!(spanish.body.contains("https://portal.example/dashboard"));
    }
}
