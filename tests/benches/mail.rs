//! `cargo xtask bench mail`: the mail worker draining 10,000 queued messages to a real SMTP
//! server on loopback (aiosmtpd, as the tests use), in messages a second, at the worker's
//! default batch and wider, and 2,000 invitations (each code made as it is sent); and what
//! the outbox adds to an approval: the approval's latency end to end (of someone with an
//! account, and of a newcomer whose account is made and invited), and its mail part alone
//! (the site's brand read, the message composed from its templates, the row queued, in a
//! transaction that commits anyway), medians and 95th percentiles over 200 approvals.

use hub_core::mail::messages::{ApplicationApproved, Brand, Invitation};
use hub_core::mail::outbox;
use hub_core::{ops, Caller, Hub};
use hub_tests::bench::percentile;
use hub_tests::smtp::SmtpServer;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::time::{Duration, Instant};

const MESSAGES: i64 = 10_000;
const INVITATIONS: i64 = 2_000;
const APPROVALS: i64 = 200;

/// `MESSAGES` messages as an approval composes them, one per applicant, queued at once.
async fn queue(pool: &PgPool, round: &str) {
    let brand = Brand::current(pool).await.unwrap();
    let composed = ApplicationApproved {
        brand: &brand,
        name: "Yara Khalil",
        cohort: "Web Autumn",
        program: "Web Development",
        starts: Some("Monday 7 October 2030".to_owned()),
        sign_in_as: "yara@example.org",
        new_account: true,
    }
    .compose();
    sqlx::query(
        "insert into mail_outbox (event_key, kind, recipient, subject, text_body, html_body)
         select $1 || ':' || n, 'application_approved', 'person' || n || '@bench.example.org', $2, $3, $4
           from generate_series(1, $5) n",
    )
    .bind(round)
    .bind(&composed.subject)
    .bind(&composed.text_body)
    .bind(&composed.html_body)
    .bind(MESSAGES)
    .execute(pool)
    .await
    .unwrap();
}

/// `INVITATIONS` invitations to people with accounts, queued as an approval queues them: a
/// placeholder in the bodies and the code's row, made as each is sent.
async fn queue_invitations(pool: &PgPool) {
    let brand = Brand::current(pool).await.unwrap();
    let placeholder = hub_core::account_codes::PLACEHOLDER;
    let composed =
        Invitation { brand: &brand, name: "Yara Khalil", email: "yara@example.org", code: placeholder }
            .compose();
    sqlx::query(
        "with people as (insert into users (email, password_hash, is_student)
                         select 'invited' || n || '@bench.example.org', '!awaiting-password', true
                           from generate_series(1, $4) n returning id, email),
              codes as (insert into account_codes (user_id, purpose) select id, 'invitation' from people
                        returning id, user_id)
         insert into mail_outbox (event_key, kind, recipient, subject, text_body, html_body, account_code_id)
         select 'account-code:' || codes.id, 'invitation', people.email, $1, $2, $3, codes.id
           from codes join people on people.id = codes.user_id",
    )
    .bind(&composed.subject)
    .bind(&composed.text_body)
    .bind(&composed.html_body)
    .bind(INVITATIONS)
    .execute(pool)
    .await
    .unwrap();
}

/// Messages a second for one worker with `batch` sends side by side, draining `count`
/// messages `queued` as `what`.
async fn drain(pool: &PgPool, batch: i64, what: &str, count: i64) -> f64 {
    let smtp = SmtpServer::start();
    let started = Instant::now();
    let mut config =
        hub_server::mail::MailConfig::parse(&smtp.url(), "Digital Hub <hub@bench.example.org>").unwrap();
    config.batch = batch;
    let worker = tokio::spawn(hub_server::mail::run(Hub::new(pool.clone()), config));
    loop {
        let left: i64 = sqlx::query_scalar("select count(*) from mail_outbox where status <> 'sent'")
            .fetch_one(pool)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    worker.abort();
    let received = smtp.wait_for(usize::try_from(count).unwrap()).await.len();
    assert_eq!(i64::try_from(received).unwrap(), count, "every message once");
    #[allow(clippy::cast_precision_loss)]
    let rate = count as f64 / took.as_secs_f64();
    println!(
        "drain {count:>6} {what:13}, batch {batch:3} {:>8.0} messages/s  ({:.2} s)",
        rate,
        took.as_secs_f64()
    );
    rate
}

fn show(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |share| percentile(&samples, share).as_secs_f64() * 1000.0;
    println!("{name:44} p50 {:>7.3} ms   p95 {:>7.3} ms  ({} runs)", ms(0.5), ms(0.95), samples.len());
}

/// The bench's administrator, with a profile.
async fn admin(pool: &PgPool) -> i64 {
    let admin: i64 = sqlx::query_scalar(
        "insert into users (email, password_hash, is_admin) values ('admin@bench.example.org', 'x', true) returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("insert into manager_profiles (user_id, full_name) values ($1, 'Bench Admin')")
        .bind(admin)
        .execute(pool)
        .await
        .unwrap();
    admin
}

/// `APPROVALS` pending applications to a cohort of its own, from people who have accounts
/// already (`with_accounts`: the approval makes none) or from newcomers (an account made, an
/// invitation queued).
async fn applications(pool: &PgPool, with_accounts: bool) -> Vec<i64> {
    let slug = if with_accounts { "known" } else { "newcomers" };
    sqlx::query_scalar(
        "with program as (insert into programs (slug, title, is_published) values ($2, 'Web Development', true)
                          returning id),
              cohort as (insert into cohorts (program_id, name, status, allow_applications)
                         select id, 'Web Autumn', 'open', true from program returning id),
              people as (select $2 || n || '@bench.example.org' as email from generate_series(1, $1) n),
              accounts as (insert into users (email, password_hash, is_student)
                           select email, 'x', true from people where $3 returning id),
              applicants as (insert into applicants (full_name, email) select 'Applicant', email from people
                             returning id)
         insert into applications (cohort_id, applicant_id) select cohort.id, applicants.id from cohort, applicants
         returning id",
    )
    .bind(APPROVALS)
    .bind(slug)
    .bind(with_accounts)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("mail").await;
    let pool = PgPoolOptions::new().max_connections(8).connect(&database.url).await.expect("connect");

    let default_batch =
        hub_server::mail::MailConfig::parse("smtp://127.0.0.1:25", "hub@example.org").unwrap().batch;
    for batch in [default_batch, 64] {
        sqlx::query("truncate mail_outbox").execute(&pool).await.unwrap();
        queue(&pool, &format!("batch-{batch}")).await;
        drain(&pool, batch, "messages", MESSAGES).await;
    }
    sqlx::query("truncate mail_outbox").execute(&pool).await.unwrap();
    queue_invitations(&pool).await;
    drain(&pool, default_batch, "invitations", INVITATIONS).await;

    sqlx::query("truncate mail_outbox").execute(&pool).await.unwrap();
    let admin = admin(&pool).await;
    let hub = Hub::new(pool.clone());
    let caller = Caller::user(admin);
    for (with_accounts, name) in [
        (true, "applications.approve (its message queued)"),
        (false, "  of a newcomer (account made, invited)"),
    ] {
        let mut approvals = Vec::new();
        for id in applications(&pool, with_accounts).await {
            let started = Instant::now();
            ops::call(&hub, &caller, "applications.approve", serde_json::json!({ "id": id })).await.unwrap();
            approvals.push(started.elapsed());
        }
        show(name, approvals);
    }
    let mut parts = Vec::new();
    for n in 0..APPROVALS {
        // What an approval does more for its message, inside its transaction (it commits anyway).
        let mut tx = pool.begin().await.unwrap();
        let started = Instant::now();
        let brand = Brand::current(&pool).await.unwrap();
        let composed = ApplicationApproved {
            brand: &brand,
            name: "Applicant",
            cohort: "Web Autumn",
            program: "Web Development",
            starts: None,
            sign_in_as: "applicant@bench.example.org",
            new_account: false,
        }
        .compose();
        outbox::enqueue(&mut tx, &composed.to("applicant@bench.example.org", format!("part:{n}")))
            .await
            .unwrap();
        parts.push(started.elapsed());
        tx.commit().await.unwrap();
    }
    show("its mail part (brand read, compose, queue)", parts);

    pool.close().await;
    database.drop().await;
}
