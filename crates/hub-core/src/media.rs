//! Images the hub keeps: an upload is taken by its content (never its name), decoded once
//! within bounds, turned upright, and stored re-encoded at each of [`WIDTHS`] — JPEG for
//! photographs, PNG where something is see-through. What is served is always what the hub
//! made, so no uploaded file (a script dressed as a picture, a photo's location tags) ever
//! reaches a browser as sent.

use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use base64::Engine as _;
use hub_model::media::{self, ImageUpload, Media, MAX_SIDE, MAX_UPLOAD_BYTES, WIDTHS};
use hub_model::ops::UploadImage;
use image::{DynamicImage, ImageDecoder as _, ImageFormat};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use std::io::Cursor;

/// The field a refusal names: the file's bytes.
const FIELD: &str = "content_base64";

/// Images one person who is not an administrator may add in a day (an avatar needs one;
/// the site's images are the administrators').
const DAILY_UPLOADS: i64 = 30;

/// Memory one decoding may take: a 12,000-pixel square's worth is refused before decoding.
const DECODE_ALLOCATION: u64 = 256 * 1024 * 1024;

/// An image ready to store: the widths it was encoded at, and how.
pub struct Processed {
    pub key: String,
    pub format: &'static str,
    pub width: u32,
    pub height: u32,
    /// `(width name, bytes)`, one per [`WIDTHS`].
    pub variants: Vec<(u32, Vec<u8>)>,
}

fn refused(message: impl Into<String>) -> Error {
    Error::validation(FIELD, message)
}

/// The file in `upload`, checked and decoded: refused, naming the field, when it is not
/// base64, too large, not an image the hub reads (by its bytes), or larger than
/// [`MAX_SIDE`] on a side.
pub fn process(upload: &ImageUpload) -> Result<Processed> {
    let encoded = upload.content_base64.trim();
    if encoded.is_empty() {
        return Err(refused("choose an image file"));
    }
    if encoded.len() > MAX_UPLOAD_BYTES.div_ceil(3) * 4 {
        return Err(refused(format!("the file is larger than {} MB", MAX_UPLOAD_BYTES / (1024 * 1024))));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| refused("is not base64 (standard alphabet, padded)"))?;
    process_bytes(&bytes)
}

/// An image file's bytes, checked and decoded (see [`process`]).
pub fn process_bytes(bytes: &[u8]) -> Result<Processed> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(refused(format!("the file is larger than {} MB", MAX_UPLOAD_BYTES / (1024 * 1024))));
    }
    let format = image::guess_format(bytes)
        .ok()
        .filter(|format| matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP));
    let Some(format) = format else {
        return Err(refused("is not a JPEG, PNG or WebP image"));
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(DECODE_ALLOCATION);
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let unreadable = |error: image::ImageError| match error {
        image::ImageError::Limits(_) => {
            refused(format!("the image is larger than {MAX_SIDE} pixels on a side; make it smaller first"))
        }
        _ => refused("the image cannot be read: the file is damaged or cut short"),
    };
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    let see_through =
        picture.color().has_alpha() && picture.to_rgba8().pixels().any(|pixel| pixel.0[3] < 255);
    let (width, height) = (picture.width(), picture.height());
    let widest = *WIDTHS.last().expect("widths are listed");
    let mut variants = Vec::with_capacity(WIDTHS.len());
    let mut stored = (width, height);
    for named in WIDTHS {
        let shown = named.min(width);
        let scaled = if shown == width {
            picture.clone()
        } else {
            let shown_height =
                ((u64::from(height) * u64::from(shown) + u64::from(width) / 2) / u64::from(width)).max(1);
            picture.resize_exact(shown, shown_height as u32, image::imageops::FilterType::CatmullRom)
        };
        if named == widest {
            stored = (scaled.width(), scaled.height());
        }
        variants.push((named, encode(&scaled, see_through)?));
    }
    let digest = Sha256::digest(bytes);
    let key = digest.iter().take(12).map(|byte| format!("{byte:02x}")).collect();
    Ok(Processed {
        key,
        format: if see_through { "png" } else { "jpeg" },
        width: stored.0,
        height: stored.1,
        variants,
    })
}

/// One width's bytes: PNG when something is see-through, else JPEG at a quality that looks
/// like the photograph at a third of its size.
fn encode(picture: &DynamicImage, see_through: bool) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let written = if see_through {
        picture.to_rgba8().write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82);
        picture.to_rgb8().write_with_encoder(encoder)
    };
    written.map_err(|error| Error::Internal(format!("an image could not be encoded: {error}")))?;
    Ok(bytes)
}

impl Handler for UploadImage {
    async fn handle(hub: &Hub, actor: &Actor, request: ImageUpload) -> Result<Media> {
        let person = actor.require_auth()?;
        if !person.is_admin {
            let today = sqlx::query_scalar!(
                r#"select count(*) as "count!" from media
                    where uploaded_by = $1 and created_at > now() - interval '1 day'"#,
                person.id
            )
            .fetch_one(hub.pool())
            .await?;
            if today >= DAILY_UPLOADS {
                return Err(Error::RateLimited(format!(
                    "you have uploaded {DAILY_UPLOADS} images today; try again tomorrow"
                )));
            }
        }
        let file_name: String = request.file_name.trim().chars().take(200).collect();
        // Decoding and resizing take the CPU for a while: off the threads that serve requests.
        let processed = tokio::task::spawn_blocking(move || process(&request))
            .await
            .map_err(|error| Error::Internal(format!("an image upload stopped: {error}")))??;
        store(&mut *hub.pool().acquire().await?, &processed, &file_name, person.id).await
    }
}

/// Keeps `image` (once: the same file again is the image already kept) and answers it.
pub async fn store(
    connection: &mut PgConnection,
    image: &Processed,
    file_name: &str,
    uploaded_by: i64,
) -> Result<Media> {
    let (widths, bytes): (Vec<i32>, Vec<&[u8]>) =
        image.variants.iter().map(|(width, bytes)| (*width as i32, bytes.as_slice())).unzip();
    // One statement: the image and its widths are kept together or not at all.
    sqlx::query!(
        "with image as (
             insert into media (key, format, width, height, file_name, uploaded_by)
             values ($1, $2, $3, $4, $5, $6) on conflict (key) do nothing returning id)
         insert into media_variants (media_id, width, bytes)
         select image.id, variant.width, variant.bytes
           from image, unnest($7::int[], $8::bytea[]) as variant(width, bytes)",
        image.key,
        image.format,
        image.width as i32,
        image.height as i32,
        file_name,
        uploaded_by,
        &widths,
        &bytes as &[&[u8]]
    )
    .execute(&mut *connection)
    .await?;
    let row =
        sqlx::query!("select id, key, format, width, height, file_name from media where key = $1", image.key)
            .fetch_one(&mut *connection)
            .await?;
    Ok(Media {
        id: row.id,
        url: media::url(&row.key, &row.format),
        width: row.width as u32,
        height: row.height as u32,
        file_name: row.file_name,
    })
}
