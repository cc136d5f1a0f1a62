//! Mail, against a real SMTP server on loopback (aiosmtpd): what applicants receive, and a
//! delivery that loses nothing — a server that says "try later", a server that is down, a
//! change that rolls back, two workers on one outbox.

use hub_core::mail::outbox::{self, Outgoing, RetryPolicy};
use hub_model::applications::{ApplicationStatus, DecideApplicationRequest};
use hub_model::cms::IdRequest;
use hub_model::inbox::ReplyToMessageRequest;
use hub_model::mail::{ListOutboxRequest, MailKind, MailStatus, SendTestMailRequest};
use hub_model::ops;
use hub_server::mail::MailConfig;
use hub_tests::server::{HubProcess, TestServer};
use hub_tests::smtp::{Received, SmtpOptions, SmtpServer};
use hub_tests::{http_post_json, Caller};
use serde_json::json;
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::time::Duration;

/// A worker's settings for `smtp`, retrying after 100 ms, 200 ms, … (a real server waits a
/// minute first), looking at the outbox every 100 ms.
pub(crate) fn quick(smtp_url: &str) -> MailConfig {
    let mut config = MailConfig::parse(smtp_url, "Digital Hub <hub@digitalhub.example>").unwrap();
    config.retry =
        RetryPolicy { first: Duration::from_millis(100), longest: Duration::from_secs(1), attempts: 10 };
    config.poll = Duration::from_millis(100);
    config
}

/// A mail worker of its own, as one hub server runs it; stopped when dropped.
pub(crate) struct Worker(tokio::task::JoinHandle<()>);

impl Worker {
    pub(crate) fn start(pool: &PgPool, config: MailConfig) -> Self {
        Self(tokio::spawn(hub_server::mail::run(hub_core::Hub::new(pool.clone()), config)))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A cohort of a published program, open for applications, of `capacity` seats.
pub(crate) async fn open_cohort(pool: &PgPool, capacity: i32) -> i64 {
    sqlx::query_scalar(
        "with program as (insert into programs (slug, title, is_published) values ('web', 'Web Development', true)
                          returning id)
         insert into cohorts (program_id, name, status, allow_applications, capacity, start_date)
         select id, 'Web Autumn', 'open', true, $1, date '2030-10-07' from program returning id",
    )
    .bind(capacity)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A message to `recipient`, queued as a change would queue it.
fn note(recipient: &str) -> Outgoing {
    Outgoing {
        event_key: format!("note:{recipient}"),
        kind: MailKind::Test,
        recipient: recipient.to_owned(),
        reply_to: None,
        subject: format!("For {recipient}"),
        text_body: "Hello.".to_owned(),
        html_body: "<p>Hello.</p>".to_owned(),
        account_code_id: None,
    }
}

async fn queue(pool: &PgPool, messages: impl IntoIterator<Item = Outgoing>) {
    let mut tx = pool.begin().await.unwrap();
    for message in messages {
        assert!(outbox::enqueue(&mut tx, &message).await.unwrap());
    }
    tx.commit().await.unwrap();
}

/// Each row's (status, attempts), by recipient.
async fn rows(pool: &PgPool) -> Vec<(String, String, i32)> {
    sqlx::query_as("select recipient, status, attempts from mail_outbox order by recipient")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// Waits (up to 30 s) until `ready` holds of the outbox's rows.
async fn until_rows(pool: &PgPool, what: &str, ready: impl Fn(&[(String, String, i32)]) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let rows = rows(pool).await;
        if ready(&rows) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{what}: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn recipients(received: &[Received]) -> Vec<String> {
    let mut all: Vec<String> = received.iter().flat_map(|message| message.rcpt_to.clone()).collect();
    all.sort();
    all
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_applicant_hears_their_application_arrived_then_each_decision_once(pool: PgPool) {
    let smtp = SmtpServer::start();
    let cohort = open_cohort(&pool, 1).await;
    sqlx::query("update site_settings set site_name = 'Beirut Code Hub'").execute(&pool).await.unwrap();
    // The hub server as operators run it: `hubctl serve` with SMTP_URL and MAIL_FROM.
    let database_url = hub_tests::server::server_role_url(&pool).await;
    let extra = ["--smtp-url", &smtp.url(), "--mail-from", "Beirut Code Hub <hub@beirut.example>"];
    let hub = HubProcess::spawn(database_url, "127.0.0.1:0".to_owned(), extra.map(str::to_owned).to_vec());
    let apply = |email: &str, name: &str| {
        let body = json!({ "answers": { "full_name": name, "email": email, "phone": "+961 70 000 111" } });
        let path = format!("/public/cohorts/{cohort}/applications");
        let address: std::net::SocketAddr = hub.url.trim_start_matches("http://").parse().unwrap();
        async move { http_post_json(address, &path, &body).await }
    };
    let applied = apply("Yara.Khalil@example.org", "Yara <Khalil>").await;
    assert_eq!(applied.status, 201, "{applied:?}");
    let yara = applied.json()["id"].as_i64().unwrap();

    let received = smtp.wait_for(1).await;
    let message = &received[0];
    assert_eq!(message.rcpt_to, ["yara.khalil@example.org"]);
    assert_eq!(message.from, "Beirut Code Hub <hub@beirut.example>");
    assert_eq!(message.subject, "We received your application to Web Autumn");
    assert!(message.text.contains("Dear Yara <Khalil>,"), "{}", message.text);
    assert!(message.text.contains("Phone: +96170000111"), "what they sent, as kept: {}", message.text);
    assert!(message.html.contains("Yara &#60;Khalil&#62;"), "escaped in HTML: {}", message.html);
    assert!(message.html.contains("Beirut Code Hub"), "the site's name: {}", message.html);

    // Samir applies too; the one seat goes to Yara, and Samir waits, first in line.
    let samir = apply("samir@example.org", "Samir Haddad").await.json()["id"].as_i64().unwrap();
    smtp.wait_for(2).await;
    let admin = Caller::admin(&pool).await;
    let approved = admin.call::<ops::ApproveApplication>(&IdRequest { id: yara }).await.unwrap();
    assert!(approved.new_account);
    let waitlist = DecideApplicationRequest { id: samir, status: ApplicationStatus::Waitlisted };
    admin.call::<ops::DecideApplication>(&waitlist).await.unwrap();
    // Changing one's mind and back tells nobody twice.
    let pending = DecideApplicationRequest { id: samir, status: ApplicationStatus::Pending };
    admin.call::<ops::DecideApplication>(&pending).await.unwrap();
    admin.call::<ops::DecideApplication>(&waitlist).await.unwrap();
    let rejected = DecideApplicationRequest { id: samir, status: ApplicationStatus::Rejected };
    admin.call::<ops::DecideApplication>(&rejected).await.unwrap();

    // Yara's approval, then her invitation to choose a password; Samir's two decisions.
    let received = smtp.wait_for(6).await;
    let to = |person: &str| -> Vec<(String, String)> {
        received
            .iter()
            .filter(|message| message.rcpt_to == [person])
            .map(|message| (message.subject.clone(), message.text.clone()))
            .collect()
    };
    let (yara, samir) = (to("yara.khalil@example.org"), to("samir@example.org"));
    let subjects = |messages: &[(String, String)]| {
        messages.iter().map(|(subject, _)| subject.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        subjects(&yara),
        [
            "We received your application to Web Autumn",
            "You're in: Web Autumn",
            "Your Beirut Code Hub account: choose your password"
        ]
    );
    assert_eq!(
        subjects(&samir),
        [
            "We received your application to Web Autumn",
            "Your application to Web Autumn: on the waiting list",
            "Your application to Web Autumn"
        ]
    );
    assert!(yara[1].1.contains("It starts on Monday 7 October 2030."), "{}", yara[1].1);
    assert!(yara[1].1.contains("sign in to the Beirut Code Hub app as yara.khalil@example.org"));
    assert!(yara[1].1.contains("a second email brings a code to choose your password"), "{}", yara[1].1);
    assert!(samir[1].1.contains("you are next in line"), "{}", samir[1].1);
    assert!(samir[2].1.contains("we cannot offer you a place this time"), "{}", samir[2].1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 6, "each decision once");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_server_that_says_try_later_three_times_gets_the_message_once(pool: PgPool) {
    let smtp = SmtpServer::start_with(&SmtpOptions { temp_fail: 3, ..SmtpOptions::default() });
    queue(&pool, [note("rana@example.org")]).await;
    let _worker = Worker::start(&pool, quick(&smtp.url()));
    let received = smtp.wait_for(1).await;
    assert_eq!(recipients(&received), ["rana@example.org"]);
    until_rows(&pool, "sent on the fourth try", |rows| {
        rows == [("rana@example.org".to_owned(), "sent".to_owned(), 4)]
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 1, "once");
    let answer: String =
        sqlx::query_scalar("select provider_answer from mail_outbox").fetch_one(&pool).await.unwrap();
    assert!(answer.starts_with("250"), "the server's acceptance is kept: {answer}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn messages_wait_while_the_mail_server_is_down_and_all_go_once_it_is_up(pool: PgPool) {
    // A port nothing listens on, yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let people: Vec<String> = (1..=5).map(|n| format!("student{n}@example.org")).collect();
    queue(&pool, people.iter().map(|person| note(person))).await;
    let _worker = Worker::start(&pool, quick(&format!("smtp://127.0.0.1:{port}")));
    until_rows(&pool, "every message tried twice and waiting", |rows| {
        rows.len() == 5 && rows.iter().all(|(_, status, attempts)| status == "queued" && *attempts >= 2)
    })
    .await;

    let smtp = SmtpServer::start_with(&SmtpOptions { port: Some(port), ..SmtpOptions::default() });
    let received = smtp.wait_for(5).await;
    assert_eq!(recipients(&received), people);
    until_rows(&pool, "all sent", |rows| rows.iter().all(|(_, status, _)| status == "sent")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 5, "each once");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_approval_that_rolls_back_sends_nothing(pool: PgPool) {
    let smtp = SmtpServer::start();
    let cohort = open_cohort(&pool, 10).await;
    let applied = |email: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "select application_id from submit_application($1,
                        (select id from forms where key = 'cohort_application'), '{}'::jsonb, 'Someone', $2, null)",
            )
            .bind(cohort)
            .bind(email)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (doomed, fine) = (applied("doomed@example.org").await, applied("fine@example.org").await);
    // The approval of `doomed` fails as its transaction commits: after the message was queued.
    sqlx::query(
        "create function refuse_at_commit() returns trigger language plpgsql as $$
         begin raise exception 'the disk is full'; end $$",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "create constraint trigger refuse_at_commit after update on applications deferrable initially deferred
         for each row when (new.id = {doomed} and new.status = 'approved') execute function refuse_at_commit()"
    ))
    .execute(&pool)
    .await
    .unwrap();
    let _worker = Worker::start(&pool, quick(&smtp.url()));
    let admin = Caller::admin(&pool).await;
    let failed = admin.call::<ops::ApproveApplication>(&IdRequest { id: doomed }).await;
    assert!(failed.is_err(), "{failed:?}");
    admin.call::<ops::ApproveApplication>(&IdRequest { id: fine }).await.unwrap();

    // Their approval and their invitation.
    let received = smtp.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(recipients(&smtp.received()), ["fine@example.org", "fine@example.org"], "{received:?}");
    let codes: i64 = sqlx::query_scalar("select count(*) from account_codes").fetch_one(&pool).await.unwrap();
    assert_eq!(codes, 1, "an invitation's code for the approval that committed only");
    let queued: i64 =
        sqlx::query_scalar("select count(*) from mail_outbox where recipient = 'doomed@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(queued, 0, "the rolled-back approval left no message");
    let status: String = sqlx::query_scalar("select status from applications where id = $1")
        .bind(doomed)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn two_workers_on_one_outbox_send_each_message_exactly_once(pool: PgPool) {
    let smtp = SmtpServer::start();
    let people: Vec<String> = (0..200).map(|n| format!("person{n:03}@example.org")).collect();
    queue(&pool, people.iter().map(|person| note(person))).await;
    let (first, second) =
        (Worker::start(&pool, quick(&smtp.url())), Worker::start(&pool, quick(&smtp.url())));
    let received = smtp.wait_for(200).await;
    until_rows(&pool, "all sent", |rows| rows.iter().all(|(_, status, _)| status == "sent")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop((first, second));
    assert_eq!(recipients(&smtp.received()), people, "each of the 200 exactly once");
    let ids: BTreeSet<&str> = received.iter().map(|message| message.message_id.as_str()).collect();
    assert_eq!(ids.len(), 200, "one Message-ID per message");
    let tries: i64 =
        sqlx::query_scalar("select sum(attempts) from mail_outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(tries, 200, "no message was even tried twice");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn admins_see_the_outbox_send_a_test_and_retry_a_refused_message(pool: PgPool) {
    let smtp = SmtpServer::start_with(&SmtpOptions {
        reject: vec!["gone@example.org".to_owned()],
        ..SmtpOptions::default()
    });
    let config = quick(&smtp.url());
    let server = TestServer::start_with(
        &pool,
        hub_server::ServerConfig { mail: Some(config), ..hub_server::ServerConfig::default() },
        hub_core::staff_sessions::SessionPolicy::default(),
    )
    .await;
    hub_tests::TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let maya = server.sign_in("maya@example.org", hub_tests::TEST_PASSWORD).await;

    let settings = server.call::<ops::GetMailSettings>(&maya, &hub_model::NoRequest {}).await.unwrap();
    let relay = settings.relay.expect("this server sends mail");
    assert_eq!(
        (relay.server, relay.security, relay.authenticated),
        (format!("127.0.0.1:{}", smtp.port), "none".to_owned(), false)
    );
    let bad = SendTestMailRequest { to: Some("not an address".to_owned()) };
    let refused = server.call::<ops::SendTestMail>(&maya, &bad).await.unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("to"), "{refused:?}");

    let mine = server.call::<ops::SendTestMail>(&maya, &SendTestMailRequest::default()).await.unwrap();
    assert_eq!((mine.recipient.as_str(), mine.kind), ("maya@example.org", MailKind::Test));
    let gone = SendTestMailRequest { to: Some("gone@example.org".to_owned()) };
    let gone = server.call::<ops::SendTestMail>(&maya, &gone).await.unwrap();
    let received = smtp.wait_for(1).await;
    assert_eq!(received[0].rcpt_to, ["maya@example.org"]);
    assert!(
        received[0].text.contains(&format!("It went out through 127.0.0.1:{}", smtp.port)),
        "{}",
        received[0].text
    );

    let failed = ListOutboxRequest { status: Some(MailStatus::Failed), ..ListOutboxRequest::default() };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let page = loop {
        let page = server.call::<ops::ListOutbox>(&maya, &failed).await.unwrap();
        if !page.items.is_empty() || std::time::Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(page.items.len(), 1, "{page:?}");
    let refusal = &page.items[0];
    assert_eq!((refusal.id, refusal.attempts), (gone.id, 1), "a 5xx answer is not tried again");
    assert!(refusal.provider_answer.as_deref().is_some_and(|answer| answer.contains("550")), "{refusal:?}");
    let search = ListOutboxRequest { search: Some("MAYA".to_owned()), ..ListOutboxRequest::default() };
    let found = server.call::<ops::ListOutbox>(&maya, &search).await.unwrap();
    assert_eq!(found.items.iter().map(|message| message.id).collect::<Vec<_>>(), [mine.id]);
    let whole = server.call::<ops::GetOutboxMessage>(&maya, &IdRequest { id: mine.id }).await.unwrap();
    assert!(whole.html_body.contains("asked for one"), "{}", whole.html_body);

    let retried = server.call::<ops::RetryMail>(&maya, &IdRequest { id: gone.id }).await.unwrap();
    assert_eq!(
        (retried.status, retried.attempts),
        (MailStatus::Queued, 0),
        "due now, its tries started over"
    );
    until_rows(&pool, "tried again, and refused again", |rows| {
        rows.iter()
            .any(|(to, status, attempts)| to == "gone@example.org" && status == "failed" && *attempts == 1)
    })
    .await;
    let again = server.call::<ops::RetryMail>(&maya, &IdRequest { id: mine.id }).await.unwrap_err();
    assert_eq!(again.kind, hub_model::ErrorKind::Conflict, "a sent message is not sent again");
    let settings = server.call::<ops::GetMailSettings>(&maya, &hub_model::NoRequest {}).await.unwrap();
    assert!(settings.sent_last_day >= 1, "{settings:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_answers_a_visitor_by_mail_and_the_message_keeps_the_reply(pool: PgPool) {
    let smtp = SmtpServer::start();
    sqlx::query("update site_settings set contact_info = '{\"email\": \"hello@beirut.example\"}'")
        .execute(&pool)
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar(
        "insert into contact_messages (name, email, subject, message)
         values ('Rana Saad', 'rana@example.org', 'Visiting on Friday', 'Can I visit on Friday?\nAround 3pm.')
         returning id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let admin = Caller::admin(&pool).await;
    let blank = ReplyToMessageRequest { id, body: "  ".to_owned() };
    admin.refuses::<ops::ReplyToMessage>(&blank, "body", "write your reply").await;
    let missing = ReplyToMessageRequest { id: 999_999, body: "Hello".to_owned() };
    let refused = admin.call::<ops::ReplyToMessage>(&missing).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::NotFound);

    let _worker = Worker::start(&pool, quick(&smtp.url()));
    let reply = ReplyToMessageRequest { id, body: "Yes, do come by!\nAsk for Maya at the desk.".to_owned() };
    let thread = admin.call::<ops::ReplyToMessage>(&reply).await.unwrap();
    assert_eq!(thread.replies.len(), 1);
    assert_eq!(thread.replies[0].body, "Yes, do come by!\nAsk for Maya at the desk.");
    assert_eq!(thread.replies[0].replied_by.as_deref(), Some("Test admin@example.org"));
    assert_eq!(
        (thread.message.status, thread.message.assigned_to),
        (hub_model::inbox::MessageStatus::InProgress, Some(admin.id)),
        "answered, it is under way, and the one who answered looks after it"
    );

    let received = smtp.wait_for(1).await;
    let mail = &received[0];
    assert_eq!(
        (mail.rcpt_to.as_slice(), mail.subject.as_str()),
        (["rana@example.org".to_owned()].as_slice(), "Re: Visiting on Friday")
    );
    assert_eq!(mail.from, "Digital Hub <hub@digitalhub.example>", "from the hub's address");
    assert_eq!(
        mail.reply_to.as_deref(),
        Some("hello@beirut.example"),
        "answers go to the site's contact address"
    );
    assert!(mail.text.starts_with("Yes, do come by!\nAsk for Maya at the desk."), "{}", mail.text);
    assert!(
        mail.text.contains("> Can I visit on Friday?\n> Around 3pm."),
        "their words quoted: {}",
        mail.text
    );

    let read = admin.call::<ops::GetMessageThread>(&IdRequest { id }).await.unwrap();
    assert_eq!(read, thread, "the thread keeps the reply");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn mail_goes_over_starttls_signed_in_to_a_relay_the_school_ca_signed_and_only_trusting_it(
    pool: PgPool,
) {
    let dir = std::env::temp_dir().join(format!("hub-smtp-ca-{}", uuid::Uuid::new_v4()));
    let (ca, certificate, key) = hub_tests::server::school_ca(&dir);
    let smtp = SmtpServer::start_with(&SmtpOptions {
        tls: Some((certificate, key)),
        login: Some(("hub".to_owned(), "s3cret".to_owned())),
        ..SmtpOptions::default()
    });
    queue(&pool, [note("rana@example.org")]).await;
    let url = format!("smtp://hub:s3cret@127.0.0.1:{}?tls=required", smtp.port);

    // The system's roots alone do not know the school's CA: the message waits, unsent.
    let untrusting = Worker::start(&pool, quick(&url));
    until_rows(&pool, "tried and waiting", |rows| rows.len() == 1 && rows[0].1 == "queued" && rows[0].2 >= 2)
        .await;
    drop(untrusting);
    assert!(smtp.received().is_empty());
    let answer: String =
        sqlx::query_scalar("select provider_answer from mail_outbox").fetch_one(&pool).await.unwrap();
    assert!(answer.to_lowercase().contains("certificate"), "why it waits: {answer}");

    // Trusting it (SMTP_CA_FILE): sent once, over TLS, signed in.
    let pem = std::fs::read(&ca).unwrap();
    let trusting = quick(&url).trusting(&pem).unwrap();
    assert_eq!(trusting.relay().security, "STARTTLS, trusting SMTP_CA_FILE");
    let _worker = Worker::start(&pool, trusting);
    let received = smtp.wait_for(1).await;
    assert_eq!(recipients(&received), ["rana@example.org"]);
    assert!(received[0].secure && received[0].authenticated, "{:?}", received[0]);
    // What SMTP_CA_FILE may hold, and where it may be used, is checked when the server starts.
    assert!(quick(&url).trusting(b"not a certificate").unwrap_err().contains("PEM"));
    assert!(quick(&smtp.url()).trusting(&pem).unwrap_err().contains("TLS"), "no CA for a plain relay");
    std::fs::remove_dir_all(dir).ok();
}
