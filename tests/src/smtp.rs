//! A real SMTP server on loopback for the mail tests: Debian's aiosmtpd running
//! `tests/smtp/capture.py`, which writes every message it accepts as a JSON line.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the SMTP server behaves.
#[derive(Debug, Clone, Default)]
pub struct SmtpOptions {
    /// Listen on this port (a server that comes up where one was down); none: any free port.
    pub port: Option<u16>,
    /// Answer the first this many messages "451 try again later".
    pub temp_fail: u32,
    /// Answer "550 no such mailbox" for these recipients.
    pub reject: Vec<String>,
    /// Offer STARTTLS with this certificate and key (PEM files), and require it.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Require signing in as this user with this password (over TLS only).
    pub login: Option<(String, String)>,
}

/// One message as the SMTP server received it: its envelope, headers and decoded parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub rcpt_to: Vec<String>,
    pub from: String,
    pub to: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    /// It came over TLS (after STARTTLS).
    pub secure: bool,
    /// Its sender signed in.
    pub authenticated: bool,
}

impl Received {
    /// The code a password message carries (four groups of four characters), as its reader
    /// copies it from the text part; the HTML part shows the same one.
    pub fn code(&self) -> String {
        let code = self
            .text
            .split_whitespace()
            .find(|word| word.len() == 19 && word.split('-').all(|group| group.len() == 4))
            .unwrap_or_else(|| panic!("no code in {}", self.text))
            .to_owned();
        assert!(self.html.contains(&code), "the HTML part shows the code too: {}", self.html);
        code
    }
}

/// The SMTP server process; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    out: PathBuf,
}

impl SmtpServer {
    pub fn start() -> Self {
        Self::start_with(&SmtpOptions::default())
    }

    pub fn start_with(options: &SmtpOptions) -> Self {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp/capture.py");
        let out = std::env::temp_dir().join(format!("hub-smtp-{}.jsonl", uuid::Uuid::new_v4()));
        let mut command = Command::new("/usr/bin/python3");
        command
            .arg(&script)
            .args(["--out", &out.display().to_string()])
            .args(["--port", &options.port.unwrap_or(0).to_string()])
            .args(["--temp-fail", &options.temp_fail.to_string()]);
        for address in &options.reject {
            command.args(["--reject", address]);
        }
        if let Some((certificate, key)) = &options.tls {
            command.arg("--tls-cert").arg(certificate).arg("--tls-key").arg(key);
        }
        if let Some((user, password)) = &options.login {
            command.args(["--login", &format!("{user}:{password}")]);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3-aiosmtpd is installed (`cargo xtask setup`)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its output")).read_line(&mut line).expect("it starts");
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Self { child, port, out }
    }

    /// `smtp://127.0.0.1:PORT`, as `SMTP_URL` names it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, in order. A line the server is still writing (no
    /// newline yet) is not one yet: it is read next time, whole.
    pub fn received(&self) -> Vec<Received> {
        let Ok(text) = std::fs::read_to_string(&self.out) else { return Vec::new() };
        let written = text.rfind('\n').map_or("", |end| &text[..end]);
        written.lines().map(|line| parse(&serde_json::from_str(line).expect("a JSON line"))).collect()
    }

    /// The messages accepted once there are `count` of them (waiting up to 30 s); fails
    /// saying what arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{count} messages expected, {} arrived: {received:#?}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
    }
}

fn parse(line: &Value) -> Received {
    // Lines as a reader sees them (mail travels with CRLF).
    let text = |key: &str| line[key].as_str().unwrap_or_default().replace("\r\n", "\n");
    Received {
        rcpt_to: line["rcpt_to"]
            .as_array()
            .map(|to| to.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        from: text("from"),
        to: text("to"),
        reply_to: line["reply_to"].as_str().map(str::to_owned),
        subject: text("subject"),
        message_id: text("message_id"),
        text: text("text"),
        html: text("html"),
        secure: line["secure"].as_bool().unwrap_or(false),
        authenticated: line["authenticated"].as_bool().unwrap_or(false),
    }
}
