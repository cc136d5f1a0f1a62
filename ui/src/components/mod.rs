//! The design system: the parts every screen is made of, styled by the CSS custom
//! properties in styles.css so theme tokens can restyle them.

pub mod badge;
pub mod chart;
pub mod dialog;
pub mod form;
pub mod hooks;
pub mod image;
pub mod labels;
pub mod list;
pub mod qr;
pub mod status_line;
pub mod table;
pub mod tabs;
pub mod toast;
pub mod when;
