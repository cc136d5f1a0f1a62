//! Parts of the domain that more than one page shows: a student's attendance record (the
//! reports and a student's home), attendance charts (the cohort page, the reports, the homes), and the profile fields (everyone's own profile and the
//! admin's user editor), the mail that waits (the admin's home; Mail has the whole outbox),
//! a spreadsheet's import (people in Users, marks in Reports).
//! Pages use them; they use no page.

pub mod attendance_charts;
pub mod attendance_record;
pub mod import;
pub mod mail_notice;
pub mod profile_form;
