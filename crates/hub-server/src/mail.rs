//! The mail worker: sends the outbox's messages over SMTP (lettre), from every hub server
//! at once without sending any twice (see `hub_core::mail::outbox`). It wakes when a
//! message is queued (PostgreSQL's NOTIFY) and looks every few seconds anyway, for
//! messages whose retry has come and for a notification lost while the database was away.

use hub_core::mail::outbox::{self, Claimed, Outcome, RetryPolicy};
use hub_core::Hub;
use hub_model::mail::MailRelay;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::postgres::PgListener;
use std::fmt;
use std::time::Duration;
use tokio::task::JoinSet;

/// How this server sends mail: `SMTP_URL` and `MAIL_FROM`, and the worker's pace.
#[derive(Clone)]
pub struct MailConfig {
    /// lettre's URL form, which may hold the password: never shown, never logged.
    url: String,
    /// A CA certificate (PEM) trusted for the relay besides the system's (`SMTP_CA_FILE`).
    ca: Option<Vec<u8>>,
    from: Mailbox,
    relay: MailRelay,
    pub retry: RetryPolicy,
    /// How long a worker holds a message it sends before another may take it: longer
    /// than any one send may take (the SMTP timeout is a minute a command).
    pub lease: Duration,
    /// Messages claimed, and sent side by side, at once.
    pub batch: i64,
    /// How often the outbox is looked at without a notification.
    pub poll: Duration,
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("relay", &self.relay)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl MailConfig {
    /// Reads `SMTP_URL` (`smtp://user:pass@mail.example.org:587?tls=required` for
    /// STARTTLS, `smtps://user:pass@mail.example.org` for TLS, `smtp://127.0.0.1:2525` for
    /// a relay on this machine) and `MAIL_FROM` (`Digital Hub <hub@example.org>`). An error
    /// is one line that never repeats the URL (it may hold a password).
    pub fn parse(smtp_url: &str, mail_from: &str) -> Result<Self, String> {
        let smtp_url = smtp_url.trim();
        let from: Mailbox = mail_from.trim().parse().map_err(|_| {
            format!("MAIL_FROM {mail_from:?} is not an address: write it as hub@example.org or \"Digital Hub <hub@example.org>\"")
        })?;
        AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url).map_err(|error| {
            format!(
                "SMTP_URL is not an SMTP server's URL ({}): write it as smtp://USER:PASSWORD@HOST:587?tls=required, \
                 smtps://USER:PASSWORD@HOST or smtp://127.0.0.1:2525",
                first_line(&error.to_string())
            )
        })?;
        let relay = describe(smtp_url, &from)?;
        Ok(Self {
            url: smtp_url.to_owned(),
            ca: None,
            from,
            relay,
            retry: RetryPolicy::default(),
            lease: Duration::from_secs(5 * 60),
            batch: 16,
            poll: Duration::from_secs(5),
        })
    }

    /// The server, its protection and the sender, as admins see them (no user, no password).
    pub fn relay(&self) -> &MailRelay {
        &self.relay
    }

    /// Trusts `pem`, a CA certificate, for the relay besides the system's roots (a school's
    /// own mail server): only for a relay reached over TLS or STARTTLS.
    pub fn trusting(mut self, pem: &[u8]) -> Result<Self, String> {
        let not_pem = || "SMTP_CA_FILE is not a PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned();
        if !std::str::from_utf8(pem).is_ok_and(|text| text.contains("-----BEGIN CERTIFICATE-----")) {
            return Err(not_pem());
        }
        Certificate::from_pem(pem).map_err(|_| not_pem())?;
        if self.relay.security == "none" {
            return Err("SMTP_CA_FILE is for a relay reached over TLS: SMTP_URL asks for none \
                        (add ?tls=required, or use smtps://)"
                .to_owned());
        }
        self.ca = Some(pem.to_owned());
        self.relay.security.push_str(", trusting SMTP_CA_FILE");
        Ok(self)
    }

    fn transport(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        // Checked in `parse` and `trusting`.
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map(|builder| match self.tls_with_ca() {
                Some(tls) => builder.tls(tls),
                None => builder,
            })
            .map(|builder| builder.timeout(Some(Duration::from_secs(60))).build())
            .unwrap_or_else(|_| AsyncSmtpTransport::<Tokio1Executor>::unencrypted_localhost())
    }

    /// The URL's TLS mode, trusting the CA of `SMTP_CA_FILE` too; `None` without one.
    fn tls_with_ca(&self) -> Option<Tls> {
        let ca = Certificate::from_pem(self.ca.as_deref()?).ok()?;
        let host = self.relay.server.rsplit_once(':').map_or(self.relay.server.as_str(), |(host, _)| host);
        let parameters =
            TlsParameters::builder(host.to_owned()).add_root_certificate(ca).build_rustls().ok()?;
        Some(if self.relay.security.starts_with("TLS") {
            Tls::Wrapper(parameters)
        } else if self.relay.security.starts_with("STARTTLS when offered") {
            Tls::Opportunistic(parameters)
        } else {
            Tls::Required(parameters)
        })
    }
}

/// `host:port`, how the connection is protected, and whether it signs in, read from the URL
/// as lettre reads it (smtps: TLS on 465; `tls=required`: STARTTLS on 587; else plain on 25).
fn describe(smtp_url: &str, from: &Mailbox) -> Result<MailRelay, String> {
    let (scheme, rest) = smtp_url.split_once("://").ok_or("SMTP_URL must start with smtp:// or smtps://")?;
    let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = authority.trim_end_matches('/');
    let (credentials, host) = authority.rsplit_once('@').map_or(("", authority), |(user, host)| (user, host));
    let tls = query.split('&').find_map(|pair| pair.strip_prefix("tls="));
    let (security, default_port) = match (scheme, tls) {
        ("smtps", _) => ("TLS", 465),
        ("smtp", Some("required")) => ("STARTTLS", 587),
        ("smtp", Some("opportunistic")) => ("STARTTLS when offered", 587),
        ("smtp", _) => ("none", 25),
        _ => return Err("SMTP_URL must start with smtp:// or smtps://".to_owned()),
    };
    let has_port = host.rsplit_once(':').is_some_and(|(_, port)| port.parse::<u16>().is_ok());
    let server = if has_port { host.to_owned() } else { format!("{host}:{default_port}") };
    Ok(MailRelay {
        server,
        security: security.to_owned(),
        authenticated: !credentials.is_empty(),
        from: from.to_string(),
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Sends the outbox's messages until the task is dropped.
pub async fn run(hub: Hub, config: MailConfig) {
    let transport = config.transport();
    let mut listener = listen(&hub).await;
    loop {
        match hub_core::mail::claim(hub.pool(), config.batch, config.lease).await {
            Ok(claimed) if !claimed.is_empty() => {
                send_all(&hub, &config, &transport, claimed).await;
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error.to_api().message, "cannot read the mail outbox now"),
        }
        wait(&hub, &mut listener, config.poll).await;
    }
}

/// A listener for queued messages; `None` while the database cannot give one.
async fn listen(hub: &Hub) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(hub.pool()).await.ok()?;
    listener.listen("mail_outbox").await.ok()?;
    Some(listener)
}

/// Until a message is queued, or `poll` has passed.
async fn wait(hub: &Hub, listener: &mut Option<PgListener>, poll: Duration) {
    match listener {
        Some(listening) => match tokio::time::timeout(poll, listening.recv()).await {
            Ok(Ok(_)) | Err(_) => {}
            // The connection broke: poll until a new one listens.
            Ok(Err(_)) => *listener = None,
        },
        None => {
            tokio::time::sleep(poll).await;
            *listener = listen(hub).await;
        }
    }
}

/// Sends `claimed` side by side; each outcome is recorded as soon as its send ends.
async fn send_all(
    hub: &Hub,
    config: &MailConfig,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    claimed: Vec<Claimed>,
) {
    let mut sending = JoinSet::new();
    for message in claimed {
        let (hub, config, transport) = (hub.clone(), config.clone(), transport.clone());
        sending.spawn(async move {
            let outcome = send(&config, &transport, &message).await;
            if !matches!(outcome, Outcome::Sent(_)) {
                tracing::warn!(
                    message = message.id,
                    attempt = message.attempts,
                    "mail not sent: {outcome:?}"
                );
            }
            if let Err(error) = outbox::record(hub.pool(), &message, &outcome, &config.retry).await {
                // The lease runs out and the message is sent again: at most once more.
                tracing::warn!(message = message.id, error = %error.to_api().message, "cannot record a send");
            }
        });
    }
    while sending.join_next().await.is_some() {}
}

async fn send(
    config: &MailConfig,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    claimed: &Claimed,
) -> Outcome {
    let message = match build(config, claimed) {
        Ok(message) => message,
        Err(refusal) => return Outcome::Refused(refusal),
    };
    match transport.send(message).await {
        Ok(response) => {
            Outcome::Sent(format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" ")))
        }
        Err(error) if error.is_permanent() => Outcome::Refused(error.to_string()),
        Err(error) => Outcome::NotNow(error.to_string()),
    }
}

/// The message as it travels: from the hub's address, text and HTML alternatives, and a
/// Message-ID of its outbox row (the same on every try, so a receiving server may tell a
/// message sent again after a crash from a new one).
fn build(config: &MailConfig, claimed: &Claimed) -> Result<Message, String> {
    let to: Mailbox = claimed
        .recipient
        .parse()
        .map_err(|_| format!("{:?} is not an address mail can be sent to", claimed.recipient))?;
    let domain = config.from.email.domain();
    let mut builder = Message::builder()
        .from(config.from.clone())
        .to(to)
        .subject(claimed.subject.clone())
        .message_id(Some(format!("<outbox-{}@{domain}>", claimed.id)));
    if let Some(reply_to) = claimed.reply_to.as_deref().and_then(|reply_to| reply_to.parse::<Mailbox>().ok())
    {
        builder = builder.reply_to(reply_to);
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder().header(ContentType::TEXT_PLAIN).body(claimed.text_body.clone()),
                )
                .singlepart(
                    SinglePart::builder().header(ContentType::TEXT_HTML).body(claimed.html_body.clone()),
                ),
        )
        .map_err(|error| format!("the message cannot be built: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relay_says_where_and_how_without_the_password() {
        let config = MailConfig::parse(
            "smtp://hub:s3cret@mail.example.org?tls=required",
            "Digital Hub <hub@example.org>",
        )
        .unwrap();
        assert_eq!(
            config.relay(),
            &MailRelay {
                server: "mail.example.org:587".to_owned(),
                security: "STARTTLS".to_owned(),
                authenticated: true,
                from: "Digital Hub <hub@example.org>".to_owned(),
            }
        );
        assert!(!format!("{config:?}").contains("s3cret"));
        let local = MailConfig::parse("smtp://127.0.0.1:2525", "hub@example.org").unwrap();
        assert_eq!(
            (local.relay().server.as_str(), local.relay().security.as_str()),
            ("127.0.0.1:2525", "none")
        );
        let tls = MailConfig::parse("smtps://u:p@smtp.example.org", "hub@example.org").unwrap();
        assert_eq!(
            (tls.relay().server.as_str(), tls.relay().security.as_str()),
            ("smtp.example.org:465", "TLS")
        );
    }

    #[test]
    fn a_wrong_setting_is_named_and_the_url_never_repeated() {
        let url = MailConfig::parse("http://hub:s3cret@mail.example.org", "hub@example.org").unwrap_err();
        assert!(url.starts_with("SMTP_URL"), "{url}");
        assert!(!url.contains("s3cret"), "{url}");
        let from = MailConfig::parse("smtp://127.0.0.1:2525", "not an address").unwrap_err();
        assert!(from.starts_with("MAIL_FROM"), "{from}");
    }
}
