pub mod connect;
pub mod home;
pub mod login;
pub mod my_profile;
pub mod profile_form;
pub mod shell;
pub mod user_editor;
pub mod users;
