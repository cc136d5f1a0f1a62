//! What each message says, in text and HTML, from the plain templates under
//! `crates/hub-core/templates/mail/` (askama: compiled in, each value escaped in HTML), in
//! the site's name and primary color.

use crate::Result;
use askama::Template;
use hub_model::mail::MailKind;
use sqlx::PgPool;

/// The hub as its messages show it: the site's name and primary color (the website's
/// settings and theme), and its contact address for the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub site_name: String,
    /// A CSS color: the `--primary` theme token, checked as the theme editor checks it.
    pub primary: String,
    /// The hub's public contact email, when it has one.
    pub contact_email: Option<String>,
}

/// The primary color when the theme has none (the demo theme's).
const DEFAULT_PRIMARY: &str = "#3b5bdb";

impl Brand {
    /// The brand the website shows now, read from its published settings (any role that
    /// reads the website may build a message).
    pub async fn current(pool: &PgPool) -> Result<Self> {
        let site = crate::website::site(pool).await?;
        let primary = site
            .theme
            .iter()
            .find(|token| token.key == "--primary")
            .map(|token| token.value.trim().to_owned())
            .filter(|value| hub_model::cms::check_css_color(value).is_ok())
            .unwrap_or_else(|| DEFAULT_PRIMARY.to_owned());
        Ok(Self { site_name: site.site_name, primary, contact_email: site.contact.email })
    }
}

/// A message's subject and bodies, before it has a recipient and an event (`Composed::to`,
/// in `super::outbox`, gives it both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub kind: MailKind,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// Declares a message: its fields, and its text and HTML templates (the HTML one extends
/// `layout.html`, which reads `brand` and `subject`).
macro_rules! message {
    ($(#[$doc:meta])* $name:ident, $text:literal, $html:literal { $($(#[$field_doc:meta])* $field:ident: $type:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name<'a> {
            pub brand: &'a Brand,
            $($(#[$field_doc])* pub $field: $type,)*
        }

        impl $name<'_> {
            fn render(&self, kind: MailKind, subject: String) -> Composed {
                #[derive(Template)]
                #[template(path = $text)]
                struct Text<'b, 'a> {
                    message: &'b $name<'a>,
                }

                #[derive(Template)]
                #[template(path = $html)]
                struct Html<'b, 'a> {
                    message: &'b $name<'a>,
                    brand: &'b Brand,
                    subject: &'b str,
                }

                let text = Text { message: self };
                let html = Html { message: self, brand: self.brand, subject: &subject };
                Composed {
                    kind,
                    // Templates are compiled in and their values are strings: rendering
                    // cannot fail but on a formatter's error, which strings do not raise.
                    text_body: text.render().unwrap_or_default(),
                    html_body: html.render().unwrap_or_default(),
                    subject,
                }
            }
        }
    };
}

/// One answer of an application form, as the applicant gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenAnswer {
    pub label: String,
    pub value: String,
}

/// The answers as the form asked them, in its order, labelled: a box ticked or not is
/// "Yes" or "No"; an unanswered field is left out.
pub fn given_answers(
    fields: &[hub_model::public::FormField],
    answers: &serde_json::Map<String, serde_json::Value>,
) -> Vec<GivenAnswer> {
    use serde_json::Value;
    fields
        .iter()
        .filter_map(|field| {
            let value = match answers.get(&field.name)? {
                Value::Bool(true) => "Yes".to_owned(),
                Value::Bool(false) => "No".to_owned(),
                Value::String(text) if text.trim().is_empty() => return None,
                Value::String(text) => text.trim().to_owned(),
                Value::Null => return None,
                other => other.to_string(),
            };
            Some(GivenAnswer { label: field.label.clone(), value })
        })
        .collect()
}

message!(
    /// "We received your application", with what they sent.
    ApplicationReceived, "mail/application_received.txt", "mail/application_received.html" {
        name: &'a str,
        cohort: &'a str,
        program: &'a str,
        answers: &'a [GivenAnswer],
    }
);

impl ApplicationReceived<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("We received your application to {}", self.cohort);
        self.render(MailKind::ApplicationReceived, subject)
    }
}

message!(
    /// "You're in": the application is approved and the student enrolled.
    ApplicationApproved, "mail/application_approved.txt", "mail/application_approved.html" {
        name: &'a str,
        cohort: &'a str,
        program: &'a str,
        /// "Monday 5 October 2026", when the cohort has a start date.
        starts: Option<String>,
        /// The address they sign in with.
        sign_in_as: &'a str,
        /// A new account was made for them (else they sign in as they did before).
        new_account: bool,
    }
);

impl ApplicationApproved<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("You're in: {}", self.cohort);
        self.render(MailKind::ApplicationApproved, subject)
    }
}

message!(
    /// The cohort is full: the applicant waits, and knows their place.
    ApplicationWaitlisted, "mail/application_waitlisted.txt", "mail/application_waitlisted.html" {
        name: &'a str,
        cohort: &'a str,
        program: &'a str,
        /// 1 is next.
        place: i64,
    }
);

impl ApplicationWaitlisted<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("Your application to {}: on the waiting list", self.cohort);
        self.render(MailKind::ApplicationWaitlisted, subject)
    }
}

message!(
    /// The application is declined: kind and short.
    ApplicationRejected, "mail/application_rejected.txt", "mail/application_rejected.html" {
        name: &'a str,
        cohort: &'a str,
        program: &'a str,
    }
);

impl ApplicationRejected<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("Your application to {}", self.cohort);
        self.render(MailKind::ApplicationRejected, subject)
    }
}

message!(
    /// An administrator's answer to a visitor's contact message, with theirs quoted.
    InboxReply, "mail/inbox_reply.txt", "mail/inbox_reply.html" {
        /// What the visitor's message was about, if they said.
        about: Option<&'a str>,
        body: &'a str,
        /// The administrator who wrote it.
        replied_by: &'a str,
        /// "2 December 2026".
        written_on: String,
        original: &'a str,
    }
);

impl InboxReply<'_> {
    pub fn compose(&self) -> Composed {
        let subject = match self.about {
            Some(about) => format!("Re: {about}"),
            None => format!("Re: your message to {}", self.brand.site_name),
        };
        self.render(MailKind::InboxReply, subject)
    }
}

message!(
    /// A new account's code to choose its password.
    Invitation, "mail/invitation.txt", "mail/invitation.html" {
        name: &'a str,
        /// The address they sign in with.
        email: &'a str,
        /// `account_codes::PLACEHOLDER` when queued; the worker puts the code there.
        code: &'a str,
    }
);

impl Invitation<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("Your {} account: choose your password", self.brand.site_name);
        self.render(MailKind::Invitation, subject)
    }
}

message!(
    /// "Forgot password?": a code to choose a new one.
    PasswordReset, "mail/password_reset.txt", "mail/password_reset.html" {
        name: &'a str,
        email: &'a str,
        /// `account_codes::PLACEHOLDER` when queued; the worker puts the code there.
        code: &'a str,
    }
);

impl PasswordReset<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("Your {} password code", self.brand.site_name);
        self.render(MailKind::PasswordReset, subject)
    }
}

message!(
    /// An announcement, to each person of its audience.
    AnnouncementMail, "mail/announcement.txt", "mail/announcement.html" {
        title: &'a str,
        body: &'a str,
        /// Who wrote it, when known.
        author: Option<&'a str>,
        /// The cohort it is for, if one.
        cohort: Option<&'a str>,
    }
);

impl AnnouncementMail<'_> {
    pub fn compose(&self) -> Composed {
        let subject = match self.cohort {
            Some(cohort) => format!("{} ({cohort})", self.title),
            None => self.title.to_owned(),
        };
        self.render(MailKind::Announcement, subject)
    }
}

message!(
    /// A student's attendance fell under their cohort's threshold.
    AttendanceNotice, "mail/attendance_notice.txt", "mail/attendance_notice.html" {
        name: &'a str,
        cohort: &'a str,
        /// Percent.
        rate: i64,
        /// Percent.
        threshold: i64,
        /// Present or late.
        attended: i64,
        /// Sessions held so far.
        held: i64,
        absent: i64,
        excused: i64,
    }
);

impl AttendanceNotice<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("Your attendance in {}: {}%", self.cohort, self.rate);
        self.render(MailKind::AttendanceNotice, subject)
    }
}

/// A student under the threshold, as the instructors' digest lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowRate {
    pub name: String,
    /// Percent.
    pub rate: i64,
    pub attended: i64,
    pub absent: i64,
}

message!(
    /// The weekly digest of a cohort's students under its threshold, to its instructors.
    AttendanceDigest, "mail/attendance_digest.txt", "mail/attendance_digest.html" {
        cohort: &'a str,
        /// Percent.
        threshold: i64,
        held: i64,
        under: &'a [LowRate],
    }
);

impl AttendanceDigest<'_> {
    pub fn compose(&self) -> Composed {
        let subject = match self.under.len() {
            1 => format!("{}: 1 student under {}% attendance", self.cohort, self.threshold),
            count => format!("{}: {count} students under {}% attendance", self.cohort, self.threshold),
        };
        self.render(MailKind::AttendanceDigest, subject)
    }
}

message!(
    /// An administrator checks that mail goes out.
    TestMessage, "mail/test.txt", "mail/test.html" {
        requested_by: &'a str,
        server: &'a str,
    }
);

impl TestMessage<'_> {
    pub fn compose(&self) -> Composed {
        let subject = format!("{}: a test message", self.brand.site_name);
        self.render(MailKind::Test, subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> Brand {
        Brand { site_name: "Digital Hub".to_owned(), primary: "#3b5bdb".to_owned(), contact_email: None }
    }

    #[test]
    fn what_an_applicant_typed_is_text_in_html_never_markup() {
        let brand = brand();
        let answers =
            [GivenAnswer { label: "Motivation".to_owned(), value: "<script>x</script> & more".to_owned() }];
        let composed = ApplicationReceived {
            brand: &brand,
            name: "Rana <b>",
            cohort: "Web Autumn",
            program: "Web Development",
            answers: &answers,
        }
        .compose();
        assert!(
            composed.html_body.contains("&#60;script&#62;x&#60;/script&#62; &#38; more"),
            "{}",
            composed.html_body
        );
        assert!(!composed.html_body.contains("<script>"));
        assert!(
            composed.text_body.contains("Motivation: <script>x</script> & more"),
            "{}",
            composed.text_body
        );
        assert!(composed.html_body.contains("#3b5bdb"), "the site's primary color");
        assert_eq!(composed.subject, "We received your application to Web Autumn");
    }
}
