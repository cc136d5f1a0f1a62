//! Images the hub keeps (avatars, hero, program and page images): what an upload carries,
//! what the hub answers, and the shape of their addresses, which the site and the app both
//! read to offer a browser each image's widths.

use serde::{Deserialize, Serialize};

/// The largest file the hub takes: a phone's photograph fits.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// The widths each image is stored at, narrowest first; an image's address names the widest.
pub const WIDTHS: [u32; 3] = [160, 480, 1200];

/// The width an avatar is shown from (a list's small circle, a profile's picture).
pub const AVATAR_WIDTH: u32 = 160;

/// The widest picture the hub takes apart, each side: more is a poster, not a web image,
/// and decoding it would take the server's memory.
pub const MAX_SIDE: u32 = 12_000;

/// An image file as the app sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageUpload {
    /// The file's name on the uploader's computer (kept for the people who pick images).
    #[serde(default)]
    pub file_name: String,
    /// The file's bytes, base64 (standard alphabet, padded).
    pub content_base64: String,
}

/// An image the hub keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    pub id: i64,
    /// Its address on the hub, `/media/{key}.{jpg|png}`: what profiles and pages store.
    pub url: String,
    /// Its size at its widest.
    pub width: u32,
    pub height: u32,
    pub file_name: String,
}

/// The parts of an image's address: `/media/{key}.{ext}` (the widest) or
/// `/media/{key}-{width}.{ext}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaPath<'a> {
    pub key: &'a str,
    /// `None`: the widest.
    pub width: Option<u32>,
    pub extension: &'a str,
}

impl<'a> MediaPath<'a> {
    pub const PREFIX: &'static str = "/media/";
    const KEY_LEN: usize = 24;

    /// An image's address, or `None` for any other path.
    pub fn parse(path: &'a str) -> Option<Self> {
        let file = path.strip_prefix(Self::PREFIX)?;
        let (stem, extension) = file.rsplit_once('.')?;
        if !matches!(extension, "jpg" | "png") {
            return None;
        }
        let (key, width) = match stem.split_once('-') {
            Some((key, width)) => {
                (key, Some(width.parse::<u32>().ok().filter(|width| WIDTHS.contains(width))?))
            }
            None => (stem, None),
        };
        let hex = key.len() == Self::KEY_LEN
            && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex.then_some(Self { key, width, extension })
    }

    /// The address of this image at `width`.
    pub fn at(&self, width: u32) -> String {
        format!("{}{}-{width}.{}", Self::PREFIX, self.key, self.extension)
    }

    /// `srcset` for a browser: every width, narrowest first.
    pub fn srcset(&self) -> String {
        WIDTHS.iter().map(|width| format!("{} {width}w", self.at(*width))).collect::<Vec<_>>().join(", ")
    }
}

/// The address of the image `key` stored as `format` (`jpeg` or `png`), at its widest.
pub fn url(key: &str, format: &str) -> String {
    format!("{}{key}.{}", MediaPath::PREFIX, extension(format))
}

/// The file extension of an image stored as `format` (`jpeg` or `png`).
pub fn extension(format: &str) -> &'static str {
    if format == "png" {
        "png"
    } else {
        "jpg"
    }
}

/// The content type of an image stored as `format` (`jpeg` or `png`).
pub fn content_type(format: &str) -> &'static str {
    if format == "png" {
        "image/png"
    } else {
        "image/jpeg"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_images_address_is_read_back_and_other_paths_are_not() {
        let widest = MediaPath::parse("/media/0123456789abcdef01234567.jpg").unwrap();
        assert_eq!(widest.width, None);
        assert_eq!(widest.at(160), "/media/0123456789abcdef01234567-160.jpg");
        let narrow = MediaPath::parse("/media/0123456789abcdef01234567-480.png").unwrap();
        assert_eq!(
            (narrow.key, narrow.width, narrow.extension),
            ("0123456789abcdef01234567", Some(480), "png")
        );
        assert!(widest.srcset().starts_with("/media/0123456789abcdef01234567-160.jpg 160w, "));
        for other in [
            "/media/0123456789abcdef01234567-481.jpg",
            "/media/0123456789ABCDEF01234567.jpg",
            "/media/0123456789abcdef0123456.jpg",
            "/media/0123456789abcdef01234567.gif",
            "/media/../etc/passwd",
            "/programs",
            "https://example.org/media/0123456789abcdef01234567.jpg",
        ] {
            assert_eq!(MediaPath::parse(other), None, "{other}");
        }
    }
}
