//! The hub server over real HTTP: sessions (their tokens, devices, ends), the refusals and
//! their statuses, the limits, the throttles, TLS, and that any copy serves any session.

use hub_core::staff_sessions::SessionPolicy;
use hub_model::auth::{ResetPasswordRequest, SessionToken};
use hub_model::devices::{DeviceSession, UserDevicesRequest};
use hub_model::ops::{
    ChangePassword, ListDevices, Me, ResetPassword, RevokeAllDevices, RevokeDevice, SetActive,
};
use hub_model::users::SetActiveRequest;
use hub_model::{ErrorKind, NoRequest};
use hub_public::client::{ForwardedHeader, Proxies};
use hub_server::ServerConfig;
use hub_tests::server::{HubProcess, TestServer};
use hub_tests::{http_get, TestUser, TEST_PASSWORD};
use serde_json::json;
use sqlx::PgPool;
use std::net::SocketAddr;

/// One raw HTTP/1.1 exchange (headers chosen by the test), for what the client hides.
async fn raw(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> hub_tests::HttpAnswer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status =
        lines.next().and_then(|line| line.split(' ').nth(1)).and_then(|code| code.parse().ok()).unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    hub_tests::HttpAnswer { status, headers, body: body.to_owned(), bytes: body.as_bytes().to_vec() }
}

fn bearer(token: &SessionToken) -> String {
    format!("Bearer {}", token.expose())
}

async fn live_sessions(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from staff_sessions s join users u on u.id = s.user_id
          where u.email = $1 and s.revoked_at is null",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn signing_in_answers_a_256_bit_token_that_the_hub_keeps_only_hashed(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let body = json!({ "identifier": "rana@example.org", "password": TEST_PASSWORD, "device": "Rana's laptop (Linux)" });
    let answer = raw(
        server.socket(),
        "POST",
        "/api/v1/sessions",
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
    .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    assert_eq!(answer.headers.get("cache-control").map(String::as_str), Some("no-store"));
    let signed_in = answer.json();
    let token = signed_in["token"].as_str().unwrap();
    let secret = token.strip_prefix("dhs_").expect("a recognisable prefix");
    assert!(secret.len() >= 43, "at least 256 bits, base64url: {}", secret.len());
    assert_eq!(signed_in["user"]["email"], "rana@example.org");

    let (hash, device, address, text): (Vec<u8>, String, Option<String>, String) =
        sqlx::query_as("select token_hash, device, last_address, s::text from staff_sessions s")
            .fetch_one(&pool)
            .await
            .unwrap();
    use sha2::Digest;
    assert_eq!(hash, sha2::Sha256::digest(token.as_bytes()).to_vec(), "only the token's SHA-256 is kept");
    assert!(!text.contains(secret), "the token itself is nowhere in the row");
    assert_eq!((device.as_str(), address.as_deref()), ("Rana's laptop (Linux)", Some("127.0.0.1")));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_call_but_the_public_ones_needs_a_live_session_and_says_so_with_401(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("rana@example.org", TEST_PASSWORD).await;
    let me = |authorization: Option<String>| {
        let address = server.socket();
        async move {
            let headers: Vec<(&str, &str)> =
                authorization.as_deref().map(|value| vec![("Authorization", value)]).unwrap_or_default();
            raw(address, "POST", "/api/v1/ops/auth.me", &headers, "").await
        }
    };
    let signed_in = me(Some(bearer(&token))).await;
    assert_eq!((signed_in.status, signed_in.json()["email"].as_str()), (200, Some("rana@example.org")));
    for (authorization, says) in [
        (None, "sign in first"),
        (Some("Bearer dhs_forged".to_owned()), "your session has ended"),
        (Some("Basic cmFuYTpwYXNzd29yZA==".to_owned()), "Bearer"),
        (Some("Bearer".to_owned()), "Bearer"),
    ] {
        let refused = me(authorization.clone()).await;
        assert_eq!(refused.status, 401, "{authorization:?}: {refused:?}");
        assert_eq!(refused.headers.get("www-authenticate").map(String::as_str), Some("Bearer"));
        assert_eq!(refused.json()["kind"], "unauthenticated");
        assert!(refused.json()["message"].as_str().unwrap().contains(says), "{refused:?}");
    }
    // What anyone may do needs no session.
    let info = raw(server.socket(), "POST", "/api/v1/ops/app.info", &[], "").await;
    assert_eq!(info.status, 200, "{info:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn signing_out_ends_the_session_and_twice_is_no_error(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("rana@example.org", TEST_PASSWORD).await;
    let other = server.sign_in("rana@example.org", TEST_PASSWORD).await;
    server.client.sign_out(&token).await.unwrap();
    let refused = server.call::<Me>(&token, &NoRequest {}).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    server.client.sign_out(&token).await.expect("signing out of an ended session is fine");
    server.call::<Me>(&other, &NoRequest {}).await.expect("the other device stays signed in");
    let reason: String =
        sqlx::query_scalar("select revoked_reason from staff_sessions where revoked_at is not null")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(reason, "signed_out");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_password_change_signs_out_every_other_device_at_once(pool: PgPool) {
    TestUser::INSTRUCTOR.insert(&pool, "karim@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let laptop = server.sign_in("karim@example.org", TEST_PASSWORD).await;
    let office = server.sign_in("karim@example.org", TEST_PASSWORD).await;
    let request = hub_model::auth::ChangePasswordRequest {
        current_password: TEST_PASSWORD.to_owned(),
        new_password: "a brand new password".to_owned(),
    };
    server.call::<ChangePassword>(&laptop, &request).await.unwrap();
    server.call::<Me>(&laptop, &NoRequest {}).await.expect("the device that changed it stays");
    let refused = server.call::<Me>(&office, &NoRequest {}).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthenticated, "the other device is out");
    assert!(server.try_sign_in("karim@example.org", TEST_PASSWORD).await.is_err());
    server.sign_in("karim@example.org", "a brand new password").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_reset_a_deactivation_and_sign_out_everywhere_each_end_every_session(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let student = TestUser::STUDENT.insert(&pool, "tala@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let admin = server.sign_in("admin@example.org", TEST_PASSWORD).await;
    let ended = |token: SessionToken| {
        let server = &server;
        async move {
            server.call::<Me>(&token, &NoRequest {}).await.unwrap_err().kind == ErrorKind::Unauthenticated
        }
    };

    let (first, second) = (
        server.sign_in("tala@example.org", TEST_PASSWORD).await,
        server.sign_in("tala@example.org", TEST_PASSWORD).await,
    );
    let reset = ResetPasswordRequest { id: student, new_password: Some("reset by the admin".to_owned()) };
    server.call::<ResetPassword>(&admin, &reset).await.unwrap();
    assert!(ended(first).await && ended(second).await, "a reset signs them out everywhere");

    let third = server.sign_in("tala@example.org", "reset by the admin").await;
    server.call::<SetActive>(&admin, &SetActiveRequest { id: student, is_active: false }).await.unwrap();
    assert!(ended(third).await, "a deactivation signs them out at once");
    assert_eq!(live_sessions(&pool, "tala@example.org").await, 0);

    server.call::<SetActive>(&admin, &SetActiveRequest { id: student, is_active: true }).await.unwrap();
    let (fourth, fifth) = (
        server.sign_in("tala@example.org", "reset by the admin").await,
        server.sign_in("tala@example.org", "reset by the admin").await,
    );
    let revoked =
        server.call::<RevokeAllDevices>(&admin, &UserDevicesRequest { user_id: student }).await.unwrap();
    assert_eq!(revoked.revoked, 2);
    assert!(ended(fourth).await && ended(fifth).await, "sign out everywhere");
    server.call::<Me>(&admin, &NoRequest {}).await.expect("the admin's own session is untouched");
    let reasons: Vec<String> = sqlx::query_scalar(
        "select distinct revoked_reason from staff_sessions where user_id = $1 order by 1",
    )
    .bind(student)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(reasons, ["deactivated", "password_reset", "revoked_by_admin"]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_sees_where_a_person_is_signed_in_and_signs_one_device_out(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let instructor = TestUser::INSTRUCTOR.insert(&pool, "karim@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let admin = server.sign_in("admin@example.org", TEST_PASSWORD).await;
    let mut tokens = Vec::new();
    for device in ["Karim's laptop (Linux)", "Office PC (Windows)"] {
        let request = hub_model::auth::LoginRequest {
            identifier: "karim@example.org".to_owned(),
            password: TEST_PASSWORD.to_owned(),
            device: Some(device.to_owned()),
        };
        tokens.push(server.client.sign_in(&request).await.unwrap().token);
    }
    let devices: Vec<DeviceSession> =
        server.call::<ListDevices>(&admin, &UserDevicesRequest { user_id: instructor }).await.unwrap();
    let mut names: Vec<&str> = devices.iter().map(|device| device.device.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Karim's laptop (Linux)", "Office PC (Windows)"]);
    assert!(devices
        .iter()
        .all(|device| device.last_address.as_deref() == Some("127.0.0.1") && !device.current));
    let office = devices.iter().find(|device| device.device.starts_with("Office")).unwrap();
    server.call::<RevokeDevice>(&admin, &hub_model::cms::IdRequest { id: office.id }).await.unwrap();
    assert_eq!(
        server.call::<Me>(&tokens[1], &NoRequest {}).await.unwrap_err().kind,
        ErrorKind::Unauthenticated
    );
    server.call::<Me>(&tokens[0], &NoRequest {}).await.expect("the laptop stays signed in");
    let left = server.call::<ListDevices>(&admin, &UserDevicesRequest { user_id: instructor }).await.unwrap();
    assert_eq!(left.len(), 1);
    // An admin's own list marks the session they are looking from.
    let admin_id = hub_tests::user_id(&pool, "admin@example.org").await;
    let own = server.call::<ListDevices>(&admin, &UserDevicesRequest { user_id: admin_id }).await.unwrap();
    assert_eq!(own.iter().filter(|device| device.current).count(), 1);
    // Only administrators see anyone's devices.
    let refused =
        server.call::<ListDevices>(&tokens[0], &UserDevicesRequest { user_id: admin_id }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_session_ends_when_unused_too_long_and_at_its_absolute_expiry_and_use_keeps_it_alive(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let policy = SessionPolicy {
        idle: std::time::Duration::from_secs(3600),
        absolute: std::time::Duration::from_secs(86_400),
    };
    let server = TestServer::start_with(&pool, ServerConfig::default(), policy).await;
    let used = server.sign_in("rana@example.org", TEST_PASSWORD).await;
    let idle = server.sign_in("rana@example.org", TEST_PASSWORD).await;
    let old = server.sign_in("rana@example.org", TEST_PASSWORD).await;
    let hash = |token: &SessionToken| hub_core::staff_sessions::token_hash(token.expose());
    let (idle_expires, expires): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("select idle_expires_at, expires_at from staff_sessions where token_hash = $1")
            .bind(hash(&used))
            .fetch_one(&pool)
            .await
            .unwrap();
    let now = chrono::Utc::now();
    assert!((58..=60).contains(&(idle_expires - now).num_minutes()), "an hour unused: {idle_expires}");
    assert!((23..=24).contains(&(expires - now).num_hours()), "a day at most: {expires}");

    // Used after a while: its idle end moves on (and its use is noted).
    sqlx::query("update staff_sessions set last_seen_at = now() - interval '5 minutes', idle_expires_at = now() + interval '5 minutes' where token_hash = $1")
        .bind(hash(&used))
        .execute(&pool)
        .await
        .unwrap();
    server.call::<Me>(&used, &NoRequest {}).await.unwrap();
    let moved: bool = sqlx::query_scalar(
        "select idle_expires_at > now() + interval '50 minutes' and last_seen_at > now() - interval '1 minute'
           from staff_sessions where token_hash = $1",
    )
    .bind(hash(&used))
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(moved, "use keeps a session alive");

    // Unused past its idle end, or past its absolute end: over.
    sqlx::query(
        "update staff_sessions set idle_expires_at = now() - interval '1 second' where token_hash = $1",
    )
    .bind(hash(&idle))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("update staff_sessions set created_at = now() - interval '2 days', expires_at = now() - interval '1 second', idle_expires_at = now() - interval '1 second' where token_hash = $1")
        .bind(hash(&old))
        .execute(&pool)
        .await
        .unwrap();
    for ended in [&idle, &old] {
        assert_eq!(
            server.call::<Me>(ended, &NoRequest {}).await.unwrap_err().kind,
            ErrorKind::Unauthenticated
        );
    }
    server.call::<Me>(&used, &NoRequest {}).await.expect("the session in use goes on");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn failed_sign_ins_are_throttled_per_client_address_as_the_trusted_proxy_names_it(pool: PgPool) {
    for n in 0..8 {
        TestUser::STUDENT.insert(&pool, &format!("student{n}@example.org"), None).await;
    }
    let config = ServerConfig { proxies: loopback_proxy(), ..ServerConfig::default() };
    let server = TestServer::start_with(&pool, config, SessionPolicy::default()).await;
    let attempt = |from: &'static str, identifier: String, password: &'static str| {
        let address = server.socket();
        async move {
            let body = json!({ "identifier": identifier, "password": password }).to_string();
            raw(address, "POST", "/api/v1/sessions", &[("X-Forwarded-For", from)], &body).await
        }
    };
    // A guesser at one address tries 30 wrong passwords across eight accounts (each account
    // staying under its own lockout of five): the address is locked out.
    for n in 0..30 {
        let answer = attempt("203.0.113.9", format!("student{}@example.org", n % 8), "a guess").await;
        assert_ne!(answer.status, 201, "attempt {n}");
    }
    let locked = attempt("203.0.113.9", "student7@example.org".to_owned(), TEST_PASSWORD).await;
    assert_eq!(locked.status, 429, "{locked:?}");
    assert!(locked.json()["message"].as_str().unwrap().contains("try again in 15 minutes"), "{locked:?}");
    // Someone else, elsewhere, signs in as ever (student 6 had only three failures).
    let elsewhere = attempt("198.51.100.4", "student6@example.org".to_owned(), TEST_PASSWORD).await;
    assert_eq!(elsewhere.status, 201, "{elsewhere:?}");
    // The proxy's own entry counts: a client's claim before it does not.
    let claimed =
        attempt("198.51.100.4, 203.0.113.9", "student5@example.org".to_owned(), TEST_PASSWORD).await;
    assert_eq!(claimed.status, 429, "the last entry is the one the proxy added: {claimed:?}");
    let spoofed =
        attempt("203.0.113.9, 198.51.100.77", "student5@example.org".to_owned(), TEST_PASSWORD).await;
    assert_eq!(spoofed.status, 201, "{spoofed:?}");
}

/// The proxy in front of the tests' server is this machine.
fn loopback_proxy() -> Proxies {
    Proxies::new(&["127.0.0.1".to_owned()], ForwardedHeader::XForwardedFor).unwrap()
}

fn contact_message(n: usize) -> String {
    json!({ "name": "Rana", "email": format!("rana{n}@example.org"), "message": "Hello there" }).to_string()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn behind_the_trusted_proxy_each_visitor_has_their_own_limit_and_an_ipv6_64_is_one_visitor(
    pool: PgPool,
) {
    let public = hub_public::PublicConfig { contact_per_minute: 3, ..hub_public::PublicConfig::default() };
    let config = ServerConfig { proxies: loopback_proxy(), public, ..ServerConfig::default() };
    let server = TestServer::start_with(&pool, config, SessionPolicy::default()).await;
    let send = |from: &'static str, n: usize| {
        let address = server.socket();
        async move {
            let headers = [("X-Forwarded-For", from), ("Content-Type", "application/json")];
            raw(address, "POST", "/public/contact", &headers, &contact_message(n)).await
        }
    };
    // One bot behind the proxy spends its own allowance, not everyone's.
    for n in 0..3 {
        assert_eq!(send("203.0.113.9", n).await.status, 201, "message {n}");
    }
    let flooded = send("203.0.113.9", 3).await;
    assert_eq!(flooded.status, 429, "{flooded:?}");
    let wait: u64 = flooded.headers["retry-after"].parse().unwrap();
    assert!((1..=20).contains(&wait), "one more passes within a minute / 3: {wait}");
    assert!(
        flooded.json()["error"].as_str().unwrap().contains(&format!("try again in {wait} s")),
        "{flooded:?}"
    );
    assert_eq!(send("198.51.100.4", 4).await.status, 201, "another visitor, another allowance");
    // A bot on IPv6 takes a fresh address of its /64 for each message: still one visitor.
    for (n, from) in ["2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::3"].into_iter().enumerate() {
        assert_eq!(send(from, 10 + n).await.status, 201, "{from}");
    }
    assert_eq!(send("2001:db8:7:1::99", 20).await.status, 429, "the same /64");
    assert_eq!(send("2001:db8:7:2::1", 21).await.status, 201, "the next /64 is someone else");
    let stored: i64 =
        sqlx::query_scalar("select count(*) from contact_messages").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, 8, "what was refused wrote nothing");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_peer_that_is_not_a_trusted_proxy_cannot_name_a_new_client_for_each_request(pool: PgPool) {
    // The proxies are on 10.0.0.0/8; this test connects from 127.0.0.1, as a stranger who
    // reached the server directly and sends a fresh X-Forwarded-For with every message.
    let public = hub_public::PublicConfig { contact_per_minute: 3, ..hub_public::PublicConfig::default() };
    let proxies = Proxies::new(&["10.0.0.0/8".to_owned()], ForwardedHeader::XForwardedFor).unwrap();
    let config = ServerConfig { proxies, public, ..ServerConfig::default() };
    let server = TestServer::start_with(&pool, config, SessionPolicy::default()).await;
    let mut statuses = Vec::new();
    for n in 0..5 {
        let claimed = format!("198.51.100.{n}");
        let headers = [("X-Forwarded-For", claimed.as_str()), ("Content-Type", "application/json")];
        statuses.push(
            raw(server.socket(), "POST", "/public/contact", &headers, &contact_message(n)).await.status,
        );
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429], "the claims are not believed: one client");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_flood_of_sign_ins_from_one_client_is_slowed_before_any_password_is_checked(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let config =
        ServerConfig { proxies: loopback_proxy(), sign_ins_per_minute: 4, ..ServerConfig::default() };
    let server = TestServer::start_with(&pool, config, SessionPolicy::default()).await;
    let attempt = |from: &'static str| {
        let address = server.socket();
        async move {
            let body = json!({ "identifier": "rana@example.org", "password": TEST_PASSWORD }).to_string();
            raw(address, "POST", "/api/v1/sessions", &[("X-Forwarded-For", from)], &body).await
        }
    };
    for n in 0..4 {
        assert_eq!(attempt("203.0.113.20").await.status, 201, "sign-in {n}");
    }
    // Even the right password waits: the limit is on attempts, before argon2 runs.
    let slowed = attempt("203.0.113.20").await;
    assert_eq!((slowed.status, slowed.json()["kind"].as_str()), (429, Some("rate_limited")), "{slowed:?}");
    assert!(slowed.headers.contains_key("retry-after"), "{slowed:?}");
    assert_eq!(attempt("198.51.100.20").await.status, 201, "a classmate elsewhere is not slowed");
    assert_eq!(live_sessions(&pool, "rana@example.org").await, 5);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn without_a_proxy_a_clients_forwarded_for_header_is_not_believed(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let body = json!({ "identifier": "rana@example.org", "password": TEST_PASSWORD }).to_string();
    let answer =
        raw(server.socket(), "POST", "/api/v1/sessions", &[("X-Forwarded-For", "203.0.113.50")], &body).await;
    assert_eq!(answer.status, 201);
    let address: Option<String> =
        sqlx::query_scalar("select last_address from staff_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(address.as_deref(), Some("127.0.0.1"), "the peer, not what it claimed");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn bodies_are_capped_bad_requests_named_and_unknown_names_answered_as_json(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("admin@example.org", TEST_PASSWORD).await;
    let authorization = bearer(&token);
    let headers = [("Authorization", authorization.as_str()), ("Content-Type", "application/json")];
    let address = server.socket();

    let huge = format!("{{\"search\": \"{}\"}}", "x".repeat(5 * 1024 * 1024));
    let too_big = raw(address, "POST", "/api/v1/ops/users.list", &headers, &huge).await;
    assert_eq!(too_big.status, 413, "{}", too_big.body.chars().take(200).collect::<String>());
    assert_eq!(
        (too_big.json()["kind"].as_str(), too_big.json()["field"].as_str()),
        (Some("validation"), Some("request"))
    );
    let long_sign_in = format!("{{\"identifier\": \"{}\", \"password\": \"x\"}}", "a".repeat(20_000));
    assert_eq!(raw(address, "POST", "/api/v1/sessions", &[], &long_sign_in).await.status, 413);

    let not_json = raw(address, "POST", "/api/v1/ops/users.list", &headers, "{search:").await;
    assert_eq!(not_json.status, 400);
    assert!(not_json.json()["message"].as_str().unwrap().contains("not valid JSON"), "{not_json:?}");
    let bad_field = raw(address, "POST", "/api/v1/ops/users.list", &headers, "{\"page\": \"two\"}").await;
    assert_eq!((bad_field.status, bad_field.json()["field"].as_str()), (400, Some("page")));
    let unknown = raw(address, "POST", "/api/v1/ops/users.explode", &headers, "{}").await;
    assert_eq!((unknown.status, unknown.json()["kind"].as_str()), (404, Some("not_found")));
    let nowhere = raw(address, "GET", "/api/v1/nothing-here", &[], "").await;
    assert_eq!((nowhere.status, nowhere.json()["kind"].as_str()), (404, Some("not_found")));
    let wrong_method = raw(address, "GET", "/api/v1/ops/users.list", &headers, "").await;
    assert_eq!(wrong_method.status, 405);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn no_answer_carries_database_text(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("admin@example.org", TEST_PASSWORD).await;
    // The server's role loses a table it needs: the database refuses, in its own words.
    sqlx::query(&format!("revoke select on programs from {}", hub_tests::server::SERVER_ROLE))
        .execute(&pool)
        .await
        .unwrap();
    let answer = raw(
        server.socket(),
        "POST",
        "/api/v1/ops/programs.list",
        &[("Authorization", &bearer(&token))],
        "{}",
    )
    .await;
    assert_eq!(answer.status, 500, "{answer:?}");
    assert_eq!(answer.json()["message"], "something went wrong on our side; it has been logged");
    for database_words in ["permission", "programs", "relation", "SQL", "hub_server_test"] {
        assert!(!answer.body.contains(database_words), "{database_words:?} in {}", answer.body);
    }

    // A hub whose database is gone: 503, without its address.
    let gone = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(1))
        .connect_lazy("postgres://hub:secret@127.0.0.1:1/hub")
        .unwrap();
    let config = ServerConfig { bind: "127.0.0.1:0".parse().unwrap(), ..ServerConfig::default() };
    let server = hub_server::Server::bind(&config, hub_server::Databases::single(hub_core::Hub::new(gone)))
        .await
        .unwrap();
    let address = server.bound[0].address;
    tokio::spawn(server.run(std::future::pending()));
    let health = http_get(address, "/api/v1/health", &[]).await;
    assert_eq!((health.status, health.json()["database"].as_bool()), (503, Some(false)));
    let info = raw(address, "POST", "/api/v1/ops/app.info", &[], "").await;
    let sign_in = raw(
        address,
        "POST",
        "/api/v1/sessions",
        &[],
        &json!({ "identifier": "a@b.org", "password": "x" }).to_string(),
    )
    .await;
    assert_eq!(sign_in.status, 503, "{sign_in:?}");
    for answer in [&health, &info, &sign_in] {
        for secret in ["127.0.0.1:1", "secret", "hub:"] {
            assert!(!answer.body.contains(secret), "{secret:?} in {}", answer.body);
        }
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_request_past_its_time_limit_is_answered_503_and_its_work_dropped(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    // No time at all: whatever must wait (the password's hashing, the database) is cut off.
    let config = ServerConfig { request_timeout: std::time::Duration::ZERO, ..ServerConfig::default() };
    let server = TestServer::start_with(&pool, config, SessionPolicy::default()).await;
    let refused = server.try_sign_in("rana@example.org", TEST_PASSWORD).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unavailable, "{refused:?}");
    assert!(refused.message.contains("took longer than"), "{refused:?}");
    assert_eq!(live_sessions(&pool, "rana@example.org").await, 0, "no session was left behind");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn any_copy_of_the_server_serves_any_session(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let (first, second) = (TestServer::start(&pool).await, TestServer::start(&pool).await);
    let token = first.sign_in("rana@example.org", TEST_PASSWORD).await;
    let me = second.call::<Me>(&token, &NoRequest {}).await.expect("the other copy knows the session");
    assert_eq!(me.email.as_deref(), Some("rana@example.org"));
    second.client.sign_out(&token).await.unwrap();
    assert_eq!(first.call::<Me>(&token, &NoRequest {}).await.unwrap_err().kind, ErrorKind::Unauthenticated);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn over_https_with_the_schools_own_certificate_the_app_trusts_it_only_through_its_ca(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let dir = std::env::temp_dir().join(format!("hub-tls-{}", uuid::Uuid::new_v4()));
    let (server, ca, _) = HubProcess::start_with_school_ca(&pool, &dir).await;
    let address = hub_model::connection::HubAddress::parse("address", &server.url).unwrap();

    let trusting = hub_client::HubClient::new(address.clone(), Some(&std::fs::read(&ca).unwrap())).unwrap();
    assert!(trusting.health().await.unwrap().database);
    let request = hub_model::auth::LoginRequest {
        identifier: "rana@example.org".to_owned(),
        password: TEST_PASSWORD.to_owned(),
        device: None,
    };
    let token = trusting.sign_in(&request).await.unwrap().token;
    trusting.call::<Me>(Some(&token), &NoRequest {}).await.unwrap();

    // Without the school's CA, this computer does not trust the hub: said, nothing sent.
    let wary = hub_client::HubClient::new(address, None).unwrap();
    let refused = wary.sign_in(&request).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unavailable);
    assert!(refused.message.contains("not trusted by this computer"), "{refused:?}");
    // A file that is no certificate is named as such.
    let not_a_certificate = hub_client::HubClient::new(
        hub_model::connection::HubAddress::parse("address", &server.url).unwrap(),
        Some(b"hello"),
    )
    .unwrap_err();
    assert_eq!(not_a_certificate.field.as_deref(), Some("ca_certificate_path"));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
