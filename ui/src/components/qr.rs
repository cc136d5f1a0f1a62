//! A QR code drawn as SVG: dark modules on white with the quiet zone the standard asks for,
//! whatever the theme's colours, so every camera reads it.

use qrcode::{Color, EcLevel, QrCode};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QrProps {
    pub text: AttrValue,
    /// What a screen reader says instead.
    pub label: AttrValue,
}

/// The modules of `text` as one SVG path (`M x y h1 v1 h-1 z` a module), and the side's
/// length in modules with the quiet zone; `None` if the text is too long for a QR code.
pub fn path(text: &str) -> Option<(String, usize)> {
    const QUIET: usize = 4;
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (index, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (index % width + QUIET, index / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((path, width + 2 * QUIET))
}

#[function_component(Qr)]
pub fn qr(props: &QrProps) -> Html {
    let Some((path, side)) = path(&props.text) else {
        return html! {};
    };
    html! {
        <svg class="qr" viewBox={format!("0 0 {side} {side}")} role="img" aria-label={&props.label}
            shape-rendering="crispEdges" data-testid="checkin-qr">
            <rect width={side.to_string()} height={side.to_string()} fill="#ffffff" />
            <path d={path} fill="#000000" />
        </svg>
    }
}
