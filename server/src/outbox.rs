//! Sends the e-mail outbox over SMTP. Each notification written with an
//! e-mail address waits in `email_outbox`; this task claims due messages,
//! sends them and marks them sent. At least once: a crash between the SMTP
//! server's "OK" and the mark sends that message again; a claim (moving its
//! next attempt a few minutes ahead) keeps two servers from sending the same
//! message at the same time. A failure is tried again later, further apart
//! each time, and given up after `max_attempts` (logged). News older than
//! `max_age_hours` is not sent at all.

use std::time::Duration;

use app::config::Agency;
use app::i18n::Locale;
use app::notice::Kind;
use app::server::notices::email;
use chrono::{DateTime, TimeDelta, Utc};
use entity::{accounts, email_outbox, notifications};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use thiserror::Error;

use crate::config::{Email, SmtpSecurity};

/// How long a claimed message is left to its sender before another may try.
const CLAIM: TimeDelta = TimeDelta::minutes(5);
/// Messages looked at per round.
const BATCH: u64 = 50;

#[derive(Debug, Error)]
pub enum OutboxError {
    #[error("e-mail sender address `{0}` is not valid")]
    From(String),
    #[error("cannot set up the SMTP connection: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: u32,
    /// Tried and failed (to be tried again, or given up).
    pub failed: u32,
    /// Too old to send.
    pub expired: u64,
}

pub struct Outbox {
    db: DatabaseConnection,
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    portal_url: String,
    agency: Agency,
    max_attempts: i32,
    max_age: TimeDelta,
}

impl Outbox {
    pub fn new(
        config: &Email,
        agency: Agency,
        db: DatabaseConnection,
    ) -> Result<Self, OutboxError> {
        let from = config
            .from
            .parse()
            .map_err(|_| OutboxError::From(config.from.clone()))?;
        let host = config.smtp_host.as_str();
        let mut builder = match config.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
        }
        .port(config.smtp_port)
        .timeout(Some(Duration::from_secs(20)));
        if !config.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                config.username.clone(),
                config.password.clone(),
            ));
        }
        Ok(Self {
            db,
            mailer: builder.build(),
            from,
            portal_url: config.portal_url.clone(),
            agency,
            max_attempts: i32::try_from(config.max_attempts).unwrap_or(8),
            max_age: TimeDelta::hours(i64::from(config.max_age_hours)),
        })
    }

    /// Looks at the outbox every `every`, for as long as the server runs.
    pub fn spawn(self, every: Duration) {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                ticks.tick().await;
                match self.round(Utc::now()).await {
                    Ok(round) if round != Round::default() => {
                        tracing::info!(?round, "e-mail outbox");
                    }
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "e-mail outbox: database"),
                }
            }
        });
    }

    /// One pass: expires what is too old, then sends what is due.
    pub async fn round(&self, now: DateTime<Utc>) -> Result<Round, DbErr> {
        let expired = email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::Status, Expr::value("expired"))
            .filter(email_outbox::Column::Status.eq("pending"))
            .filter(email_outbox::Column::CreatedAt.lt(now - self.max_age))
            .exec(&self.db)
            .await?
            .rows_affected;
        let due = email_outbox::Entity::find()
            .filter(email_outbox::Column::Status.eq("pending"))
            .filter(email_outbox::Column::NextAttemptAt.lte(now))
            .order_by_asc(email_outbox::Column::Id)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut round = Round {
            expired,
            ..Round::default()
        };
        for message in due {
            if !self.claim(&message, now).await? {
                continue;
            }
            match self.send(&message).await {
                Ok(()) => {
                    round.sent += 1;
                    self.mark_sent(message, now).await?;
                }
                Err(cause) => {
                    round.failed += 1;
                    self.mark_failed(message, &cause, now).await?;
                }
            }
        }
        Ok(round)
    }

    /// Takes `message` for this sender, unless another took it first.
    async fn claim(
        &self,
        message: &email_outbox::Model,
        now: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let claimed = email_outbox::Entity::update_many()
            .col_expr(
                email_outbox::Column::NextAttemptAt,
                Expr::value(now + CLAIM),
            )
            .filter(email_outbox::Column::Id.eq(message.id))
            .filter(email_outbox::Column::Status.eq("pending"))
            .filter(email_outbox::Column::NextAttemptAt.lte(now))
            .exec(&self.db)
            .await?;
        Ok(claimed.rows_affected == 1)
    }

    async fn send(&self, message: &email_outbox::Model) -> Result<(), String> {
        let notification = notifications::Entity::find_by_id(message.notification_id)
            .one(&self.db)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("its notification is gone")?;
        let kind = Kind::parse(&notification.kind).ok_or("unknown kind")?;
        let language = accounts::Entity::find()
            .filter(accounts::Column::PersonId.eq(notification.person_id))
            .one(&self.db)
            .await
            .map_err(|e| e.to_string())?
            .and_then(|account| account.locale)
            .and_then(|code| code.parse().ok())
            .unwrap_or(Locale::en);
        let text = email(
            kind,
            &notification.link,
            &self.portal_url,
            &self.agency,
            language,
        );
        let to: Mailbox = message
            .to_address
            .parse()
            .map_err(|e| format!("address: {e}"))?;
        let mail = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(text.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.body)
            .map_err(|e| e.to_string())?;
        self.mailer
            .send(mail)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    async fn mark_sent(
        &self,
        message: email_outbox::Model,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let attempts = message.attempts + 1;
        let mut sent: email_outbox::ActiveModel = message.into();
        sent.status = Set("sent".into());
        sent.attempts = Set(attempts);
        sent.sent_at = Set(Some(now));
        sent.last_error = Set(None);
        sent.update(&self.db).await.map(|_| ())
    }

    /// Tries again later — 1, 2, 4 … minutes, at most a day apart — or
    /// gives up after the last attempt.
    async fn mark_failed(
        &self,
        message: email_outbox::Model,
        cause: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let attempts = message.attempts + 1;
        let id = message.id;
        let wait = TimeDelta::minutes(1_i64 << attempts.clamp(0, 10)).min(TimeDelta::days(1));
        let given_up = attempts >= self.max_attempts;
        let mut failed: email_outbox::ActiveModel = message.into();
        failed.attempts = Set(attempts);
        failed.last_error = Set(Some(cause.chars().take(500).collect()));
        failed.next_attempt_at = Set(now + wait);
        if given_up {
            failed.status = Set("failed".into());
            tracing::error!(outbox = id, attempts, cause, "e-mail given up");
        } else {
            tracing::warn!(
                outbox = id,
                attempts,
                cause,
                "e-mail not sent; will try again"
            );
        }
        failed.update(&self.db).await.map(|_| ())
    }
}
