//! The notification centre and the e-mail outbox: a notification is written
//! with its event, once, and only its person sees it; the outbox sends its
//! e-mail to a real SMTP listener (in this process), tries again after a
//! refusal, never sends one twice once marked, and drops news too old to
//! send — on SQLite and on PostgreSQL.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use app::caseworker::model::PostingReview;
use app::messages::model::Inbox;
use app::notice::Kind;
use app::notifications::model::Notification;
use chrono::{TimeDelta, Utc};
use entity::email_outbox;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use server::config::{Email, SmtpSecurity};
use server::outbox::Outbox;
use server::seed::demo::DEMO_PASSWORD;
use support::{answer, call, error_of, get_as, sign_in_as, TestDb};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

on_both_databases!(
    notifications_come_with_their_event_once_and_to_their_person_only,
    the_outbox_sends_over_smtp_retries_and_never_twice,
);

/// The caseworker posts a $42.50 payment on the Bells' case, reviewed then
/// confirmed (twice: a double click).
async fn post_payment(router: &axum::Router, alex: &str, reference: &str) {
    let today = support::config().today().to_string();
    let form = [
        ("case_number", "CS-2020-004172"),
        ("kind", "payment"),
        ("amount", "42.50"),
        ("date", today.as_str()),
        ("source", "direct"),
        ("reference", reference),
        ("reason", ""),
        ("entry", ""),
    ];
    let review: PostingReview = answer(router, "review_posting", &form, alex).await;
    let mut confirm = form.to_vec();
    confirm.push(("key", review.key.as_str()));
    for _ in 0..2 {
        let posted = call(router, "post_entry", &confirm, Some(alex)).await;
        assert_eq!(error_of(&posted), None, "{}", posted.body);
    }
}

async fn notifications_come_with_their_event_once_and_to_their_person_only(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    // What the demo's own recent history told them, read and so no longer new.
    for cookie in [&alex, &marcus, &dana] {
        let _: Vec<Notification> = answer(&router, "my_notifications", &[], cookie).await;
        let unseen: u64 = answer(&router, "unseen_notifications", &[], cookie).await;
        assert_eq!(unseen, 0);
    }

    post_payment(&router, &alex, "money order 1").await;
    let unseen: u64 = answer(&router, "unseen_notifications", &[], &marcus).await;
    assert_eq!(unseen, 1, "one payment, confirmed twice: one notification");
    // Every page's header counts it (found once, before the page runs).
    let page = get_as(&router, "/dashboard", &marcus).await;
    let header = page.body.replace("<!>", "");
    assert!(header.contains("Notifications (1 new)"), "{header}");
    let list: Vec<Notification> = answer(&router, "my_notifications", &[], &marcus).await;
    let page = get_as(&router, "/dashboard", &marcus).await;
    assert!(!page.body.contains(" new)"), "seen: no count in the header");
    let newest = &list[0];
    assert_eq!(newest.kind, Kind::PaymentReceived);
    assert!(newest.new);
    assert_eq!(newest.amount.map(|a| a.to_string()), Some("$42.50".into()));
    assert_eq!(newest.link, "/cases/CS-2020-004172/history");
    let again: Vec<Notification> = answer(&router, "my_notifications", &[], &marcus).await;
    assert!(again.iter().all(|n| !n.new), "seen once opened");
    // The receiving parent hears when money is sent, not when it arrives.
    let unseen: u64 = answer(&router, "unseen_notifications", &[], &dana).await;
    assert_eq!(unseen, 0);

    // Dana writes; her caseworker is told. Alex answers; only Dana is told.
    let inbox: Inbox = answer(&router, "my_messages", &[], &dana).await;
    let started = call(
        &router,
        "start_conversation",
        &[
            ("case_number", "CS-2020-004172"),
            ("topic", "missing_payment"),
            ("body", "The November payment has not reached me."),
            ("key", inbox.send_key.as_str()),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(error_of(&started), None, "{}", started.body);
    let told: Vec<Notification> = answer(&router, "my_notifications", &[], &alex).await;
    assert_eq!(told[0].kind, Kind::MessageReceived);
    let thread = told[0].link.trim_start_matches("/messages/").to_owned();
    let replied = call(
        &router,
        "send_message",
        &[
            ("thread", thread.as_str()),
            (
                "body",
                "It was sent on the 20th; it should arrive tomorrow.",
            ),
            ("key", "reply-1"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&replied), None, "{}", replied.body);
    let told: Vec<Notification> = answer(&router, "my_notifications", &[], &dana).await;
    assert_eq!(told[0].kind, Kind::ReplyReceived);
    assert_eq!(told[0].link, format!("/messages/{thread}"));
    let marcus_list: Vec<Notification> = answer(&router, "my_notifications", &[], &marcus).await;
    assert!(
        marcus_list.iter().all(|n| n.kind != Kind::ReplyReceived),
        "the other parent hears nothing of the conversation"
    );

    // Signed out: nothing.
    let refused = call(&router, "my_notifications", &[], None).await;
    assert_eq!(
        error_of(&refused),
        Some(app::error::AppError::SignInRequired)
    );
}

/// A mail server in this process, speaking just enough SMTP: it keeps what
/// it accepts, and refuses the next `refuse` recipients with "try later".
struct MailServer {
    port: u16,
    received: Arc<Mutex<Vec<(String, String)>>>,
    refuse: Arc<AtomicU32>,
}

impl MailServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(AtomicU32::new(0));
        let (kept, refusing) = (received.clone(), refuse.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, kept.clone(), refusing.clone()));
            }
        });
        Self {
            port,
            received,
            refuse,
        }
    }

    fn received(&self) -> Vec<(String, String)> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

async fn session(
    socket: TcpStream,
    received: Arc<Mutex<Vec<(String, String)>>>,
    refuse: Arc<AtomicU32>,
) {
    let (reader, mut writer) = socket.into_split();
    let mut lines = BufReader::new(reader).lines();
    let _ = writer.write_all(b"220 mail.test ESMTP\r\n").await;
    let (mut to, mut data, mut in_data) = (String::new(), String::new(), false);
    while let Ok(Some(line)) = lines.next_line().await {
        if in_data {
            if line == "." {
                in_data = false;
                if let Ok(mut kept) = received.lock() {
                    kept.push((to.clone(), data.clone()));
                }
                let _ = writer.write_all(b"250 2.0.0 queued\r\n").await;
            } else {
                data.push_str(&line);
                data.push('\n');
            }
            continue;
        }
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-mail.test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("RCPT TO") {
            let refused = refuse
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refused {
                b"451 4.3.0 try again later\r\n"
            } else {
                to = line[8..].trim().trim_matches(['<', '>']).to_owned();
                b"250 2.1.5 ok\r\n"
            }
        } else if command.starts_with("DATA") {
            in_data = true;
            data.clear();
            b"354 go ahead\r\n"
        } else if command.starts_with("QUIT") {
            let _ = writer.write_all(b"221 bye\r\n").await;
            break;
        } else {
            b"250 ok\r\n"
        };
        let _ = writer.write_all(reply).await;
    }
}

/// A message as its reader sees it: folded headers joined, the
/// quoted-printable body decoded.
fn readable(data: &str) -> String {
    let unfolded = data.replace("\n ", " ").replace("=\n", "");
    let bytes = unfolded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn email_config(port: u16) -> Email {
    let mut email = support::config().email;
    email.enabled = true;
    email.smtp_host = "127.0.0.1".into();
    email.smtp_port = port;
    email.security = SmtpSecurity::None;
    email.portal_url = "https://portal.example".into();
    email
}

async fn outbox_of(db: &DatabaseConnection, address: &str) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(address))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn the_outbox_sends_over_smtp_retries_and_never_twice(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let mail = MailServer::start().await;
    let outbox = Outbox::new(
        &email_config(mail.port),
        support::config().agency,
        test.db.clone(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The demo's recent news goes out first.
    let now = Utc::now();
    let first = outbox.round(now).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.failed, 0);
    assert_eq!(mail.received().len(), first.sent as usize);

    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    post_payment(&router, &alex, "money order 2").await;
    let waiting = outbox_of(&test.db, "paying.parent@example.com").await;
    let pending: Vec<_> = waiting.iter().filter(|m| m.status == "pending").collect();
    assert_eq!(pending.len(), 1, "one e-mail for one payment");

    // The mail server says "later" once: kept, tried again after a wait.
    mail.refuse.store(1, Ordering::SeqCst);
    let now = Utc::now();
    let refused = outbox.round(now).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((refused.sent, refused.failed), (0, 1));
    let row = &outbox_of(&test.db, "paying.parent@example.com").await[waiting.len() - 1];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(row.last_error.as_deref().unwrap_or("").contains("451"));
    let too_soon = outbox.round(now).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(too_soon.sent, 0, "not before its next attempt");

    let later = now + TimeDelta::minutes(3);
    let sent = outbox.round(later).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent.sent, 1);
    let received = mail.received();
    let (to, data) = received.last().cloned().unwrap_or_default();
    assert_eq!(to, "paying.parent@example.com");
    let data = readable(&data);
    assert!(data.contains(
        "Subject: Riverside County Child Support Services: A payment on your case was received."
    ));
    assert!(data.contains("https://portal.example/cases/CS-2020-004172/history"));
    assert!(
        data.contains("Se recibió un pago en su caso."),
        "in Spanish too"
    );
    assert!(!data.contains("42.50"), "no amounts in an inbox");
    // Marked sent: never sent again.
    let quiet = outbox
        .round(later + TimeDelta::hours(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(quiet.sent, 0);
    assert_eq!(mail.received().len(), received.len());

    // News too old to send is dropped, not sent.
    post_payment(&router, &alex, "money order 3").await;
    let stale = outbox
        .round(Utc::now() + TimeDelta::hours(49))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((stale.sent, stale.expired), (0, 1));
}
