//! Choosing a password with a code, against a real SMTP server on loopback: an approved
//! applicant's invitation, an account an admin made, and "Forgot password?". Nobody but the
//! person ever sees their password; a code is single-use, expires, is kept only hashed, and
//! is guessed no faster than a password.

use crate::mail::{open_cohort, quick, Worker};
use hub_core::account_codes::{MASKED, NO_PASSWORD, PLACEHOLDER};
use hub_model::auth::{ForgotPasswordRequest, RedeemCodeRequest, ResetPasswordRequest};
use hub_model::cms::IdRequest;
use hub_model::mail::{ListOutboxRequest, MailKind, MailStatus};
use hub_model::ops::{
    ApproveApplication, CreateUser, ForgotPassword, GetOutboxMessage, InviteUser, ListOutbox, Me, RedeemCode,
    ResetPassword,
};
use hub_model::users::{CreateUserRequest, UserIdRequest};
use hub_model::{ApiError, ErrorKind, NoRequest};
use hub_tests::server::TestServer;
use hub_tests::smtp::SmtpServer;
use hub_tests::{call_anonymously, Caller, TestUser, TEST_PASSWORD};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::time::Duration;

/// A hub server whose mail worker sends to `smtp` at once.
async fn serve_with_mail(pool: &PgPool, smtp: &SmtpServer) -> TestServer {
    let config =
        hub_server::ServerConfig { mail: Some(quick(&smtp.url())), ..hub_server::ServerConfig::default() };
    TestServer::start_with(pool, config, hub_core::staff_sessions::SessionPolicy::default()).await
}

fn redeem(email: &str, code: &str, new_password: &str) -> RedeemCodeRequest {
    RedeemCodeRequest {
        email: email.to_owned(),
        code: code.to_owned(),
        new_password: new_password.to_owned(),
    }
}

fn assert_code_refused(answer: Result<hub_model::auth::Done, ApiError>) {
    let error = answer.expect_err("the code is refused");
    assert_eq!((error.kind, error.field.as_deref()), (ErrorKind::Validation, Some("code")), "{error:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_approved_applicant_chooses_their_password_with_the_code_their_invitation_brought(pool: PgPool) {
    let smtp = SmtpServer::start();
    let server = serve_with_mail(&pool, &smtp).await;
    let cohort = open_cohort(&pool, 10).await;
    let application: i64 = sqlx::query_scalar(
        "with applicant as (insert into applicants (full_name, email) values ('Yara Khalil', 'yara@example.org')
                            returning id)
         insert into applications (cohort_id, applicant_id) select $1, id from applicant returning id",
    )
    .bind(cohort)
    .fetch_one(&pool)
    .await
    .unwrap();
    let admin = Caller::admin(&pool).await;
    let approved = admin.call::<ApproveApplication>(&IdRequest { id: application }).await.unwrap();
    assert_eq!(approved.invitation_sent_to.as_deref(), Some("yara@example.org"));

    let received = smtp.wait_for(2).await;
    assert_eq!(received[0].subject, "You're in: Web Autumn");
    let invitation = &received[1];
    assert_eq!(invitation.rcpt_to, ["yara@example.org"]);
    assert!(invitation.text.starts_with("Dear Yara Khalil,"), "{}", invitation.text);
    assert!(invitation.text.contains("The code works once, for 14 days."), "{}", invitation.text);
    let code = invitation.code();

    // The code is kept nowhere but as its hash: not in the outbox, and the admin reading the
    // message sees where it goes, not what it is.
    let (stored_body, expires_in_days): (String, f64) = sqlx::query_as(
        "select o.text_body, extract(epoch from c.expires_at - c.issued_at)::float8 / 86400
           from mail_outbox o join account_codes c on c.id = o.account_code_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(stored_body.contains(PLACEHOLDER) && !stored_body.contains(&code), "{stored_body}");
    assert!((expires_in_days - 14.0).abs() < 0.01, "{expires_in_days}");
    let hash: Vec<u8> =
        sqlx::query_scalar("select code_hash from account_codes").fetch_one(&pool).await.unwrap();
    assert_eq!(hash, Sha256::digest(code.replace('-', "").as_bytes()).to_vec());
    let outbox = admin.call::<ListOutbox>(&ListOutboxRequest::default()).await.unwrap();
    let shown = outbox.items.iter().find(|message| message.kind == MailKind::Invitation).unwrap();
    let detail = admin.call::<GetOutboxMessage>(&IdRequest { id: shown.id }).await.unwrap();
    assert!(detail.text_body.contains(MASKED) && !detail.text_body.contains(&code), "{}", detail.text_body);

    // Until she uses it, no password lets her in, and she is told why.
    let refused = server.try_sign_in("yara@example.org", "anything at all").await.unwrap_err();
    assert!(refused.message.contains("no password yet"), "{refused:?}");

    let anyone = &server.client;
    // A code of the right shape that is not hers, and hers for another address.
    assert_code_refused(
        anyone
            .call::<RedeemCode>(None, &redeem("yara@example.org", "AAAA-BBBB-CCCC-DDDD", "yara's password"))
            .await,
    );
    assert_code_refused(
        anyone.call::<RedeemCode>(None, &redeem("admin@example.org", &code, "yara's password")).await,
    );
    // A password too short is refused before the code is used up.
    let short =
        anyone.call::<RedeemCode>(None, &redeem("yara@example.org", &code, "short")).await.unwrap_err();
    assert_eq!(short.field.as_deref(), Some("new_password"), "{short:?}");
    // Typed in lower case with spaces, it still reads.
    let typed = code.to_lowercase().replace('-', " ");
    anyone
        .call::<RedeemCode>(None, &redeem("Yara@Example.org", &typed, "yara's own password"))
        .await
        .unwrap();
    let token = server.sign_in("yara@example.org", "yara's own password").await;
    let me = server.call::<Me>(&token, &NoRequest {}).await.unwrap();
    assert!(me.is_student && me.id == approved.student_id, "{me:?}");
    // Once.
    assert_code_refused(
        anyone.call::<RedeemCode>(None, &redeem("yara@example.org", &code, "another password")).await,
    );
    server.sign_in("yara@example.org", "yara's own password").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn forgot_password_mails_a_code_that_ends_every_session_and_tells_a_stranger_nothing(pool: PgPool) {
    let smtp = SmtpServer::start();
    let server = serve_with_mail(&pool, &smtp).await;
    let lea = TestUser::STUDENT.insert(&pool, "lea@example.org", None).await;
    let laptop = server.sign_in("lea@example.org", TEST_PASSWORD).await;
    let anyone = &server.client;
    let forgot = |email: &str| ForgotPasswordRequest { email: email.to_owned() };

    // The same answer for an address no account uses as for Lea's.
    anyone.call::<ForgotPassword>(None, &forgot("nobody@example.org")).await.unwrap();
    anyone.call::<ForgotPassword>(None, &forgot(" LEA@example.org ")).await.unwrap();
    let received = smtp.wait_for(1).await;
    assert_eq!(received[0].rcpt_to, ["lea@example.org"]);
    assert_eq!(received[0].subject, "Your Digital Hub password code");
    assert!(received[0].text.contains("for one hour"), "{}", received[0].text);
    let code = received[0].code();
    // Asked again at once: the same answer, and no second message to her mailbox.
    anyone.call::<ForgotPassword>(None, &forgot("lea@example.org")).await.unwrap();
    let bad = anyone.call::<ForgotPassword>(None, &forgot("not an address")).await.unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("email"), "{bad:?}");

    // An admin's code for her too; once it has run out, it no longer works.
    let admin = Caller::admin(&pool).await;
    assert_eq!(admin.call::<InviteUser>(&UserIdRequest { id: lea }).await.unwrap().email, "lea@example.org");
    let received = smtp.wait_for(2).await;
    let admins_code = received[1].code();
    sqlx::query("update account_codes set expires_at = now() - interval '1 second' where code_hash = $1")
        .bind(Sha256::digest(admins_code.replace('-', "").as_bytes()).to_vec())
        .execute(&pool)
        .await
        .unwrap();
    assert_code_refused(
        anyone.call::<RedeemCode>(None, &redeem("lea@example.org", &admins_code, "lea's new password")).await,
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 2, "nobody@ got nothing, and Lea no second code of her own");

    // Her code sets the password and signs her out everywhere.
    anyone.call::<RedeemCode>(None, &redeem("lea@example.org", &code, "lea's new password")).await.unwrap();
    let ended = server.call::<Me>(&laptop, &NoRequest {}).await.unwrap_err();
    assert_eq!(ended.kind, ErrorKind::Unauthenticated, "{ended:?}");
    assert!(server.try_sign_in("lea@example.org", TEST_PASSWORD).await.is_err());
    server.sign_in("lea@example.org", "lea's new password").await;
    let live: i64 = sqlx::query_scalar("select count(*) from account_codes where used_at is null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(live, 0, "a password set uses up every code of the account");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn codes_are_guessed_no_faster_than_passwords_and_one_address_asks_for_few(pool: PgPool) {
    let server = TestServer::start(&pool).await;
    TestUser::STUDENT.insert(&pool, "sami@example.org", None).await;
    let anyone = &server.client;
    let guess = redeem("sami@example.org", "AAAA-BBBB-CCCC-DDDD", "a password of mine");
    for _ in 0..4 {
        assert_code_refused(anyone.call::<RedeemCode>(None, &guess).await);
    }
    // The fifth wrong code locks the address out, as a fifth wrong password does.
    let locked = anyone.call::<RedeemCode>(None, &guess).await.unwrap_err();
    assert_eq!(locked.kind, ErrorKind::RateLimited, "{locked:?}");
    assert!(locked.message.contains("try again in 30 seconds"), "{locked:?}");
    // The same lockout as signing in: the right password waits too.
    assert_eq!(
        server.try_sign_in("sami@example.org", TEST_PASSWORD).await.unwrap_err().kind,
        ErrorKind::RateLimited
    );

    // Ten "forgot password?" from one address, then it waits, whatever the address asked for.
    for n in 0..10 {
        let request = ForgotPasswordRequest { email: format!("someone{n}@example.org") };
        anyone.call::<ForgotPassword>(None, &request).await.unwrap();
    }
    let request = ForgotPasswordRequest { email: "sami@example.org".to_owned() };
    let limited = anyone.call::<ForgotPassword>(None, &request).await.unwrap_err();
    assert_eq!(limited.kind, ErrorKind::RateLimited, "{limited:?}");
    let codes: i64 = sqlx::query_scalar("select count(*) from account_codes").fetch_one(&pool).await.unwrap();
    assert_eq!(codes, 0);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_invitation_whose_account_got_a_password_first_is_never_sent(pool: PgPool) {
    let smtp = SmtpServer::start();
    let admin = Caller::admin(&pool).await;
    let request = CreateUserRequest {
        email: Some("omar@example.org".to_owned()),
        full_name: "Omar Saad".to_owned(),
        is_instructor: true,
        ..CreateUserRequest::default()
    };
    let created = admin.call::<CreateUser>(&request).await.unwrap();
    assert_eq!(created.invitation_sent_to.as_deref(), Some("omar@example.org"));
    assert!(created.user.awaiting_password);
    let stored: String =
        sqlx::query_scalar("select password_hash from users where email = 'omar@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, NO_PASSWORD);
    // Before any worker sends it, the admin sets his password after all.
    let chosen =
        ResetPasswordRequest { id: created.user.id, new_password: Some("omar's first password".to_owned()) };
    admin.call::<ResetPassword>(&chosen).await.unwrap();

    let _worker = Worker::start(&pool, quick(&smtp.url()));
    let outbox = ListOutboxRequest { status: Some(MailStatus::Failed), ..ListOutboxRequest::default() };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let failed = loop {
        let page = admin.call::<ListOutbox>(&outbox).await.unwrap();
        if let Some(message) = page.items.into_iter().next() {
            break message;
        }
        assert!(std::time::Instant::now() < deadline, "the invitation is never marked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(failed.kind, MailKind::Invitation);
    assert!(failed.provider_answer.as_deref().unwrap_or_default().starts_with("not sent"), "{failed:?}");
    assert!(smtp.received().is_empty());
    let login = hub_model::auth::LoginRequest {
        identifier: "omar@example.org".to_owned(),
        password: "omar's first password".to_owned(),
        device: None,
    };
    call_anonymously::<hub_model::ops::SignIn>(&pool, &login).await.unwrap();
}
