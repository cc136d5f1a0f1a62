//! Images the hub keeps: uploaded over the staff API, checked by their bytes, stored at a
//! few widths, served at addresses that name their bytes, and shown on the site.

use base64::Engine as _;
use hub_model::media::{ImageUpload, Media};
use hub_model::ops::{ListUsers, UpdateMyProfiles, UploadImage};
use hub_model::profiles::ProfileBasics;
use hub_model::users::ListUsersRequest;
use hub_model::ErrorKind;
use hub_tests::server::TestServer;
use hub_tests::{http_get, Caller, PublicApi, TestUser, TEST_PASSWORD};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use sqlx::PgPool;
use std::io::Cursor;

fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    picture.write_to(&mut Cursor::new(&mut bytes), format).expect("the test's image encodes");
    bytes
}

/// A landscape photograph's stand-in: a gradient, `width` × `height`, as a JPEG.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    encoded(&DynamicImage::ImageRgb8(picture), ImageFormat::Jpeg)
}

fn upload(bytes: &[u8], file_name: &str) -> ImageUpload {
    ImageUpload {
        file_name: file_name.to_owned(),
        content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

fn decoded(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("the hub serves an image")
}

async fn kept(pool: &PgPool) -> (i64, i64) {
    sqlx::query_as("select (select count(*) from media), (select count(*) from media_variants)")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_uploaded_photo_is_kept_at_three_widths_and_served_by_its_address_for_a_year(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("maya@example.org", TEST_PASSWORD).await;
    let file = photo(1600, 900);

    let media: Media = server.call::<UploadImage>(&token, &upload(&file, "campus.jpg")).await.unwrap();
    assert!(media.url.starts_with("/media/") && media.url.ends_with(".jpg"), "{media:?}");
    assert_eq!((media.width, media.height, media.file_name.as_str()), (1200, 675, "campus.jpg"));

    let path = hub_model::media::MediaPath::parse(&media.url).unwrap();
    for (address, width) in
        [(path.at(160), 160), (path.at(480), 480), (path.at(1200), 1200), (media.url.clone(), 1200)]
    {
        let answer = http_get(server.socket(), &address, &[]).await;
        assert_eq!(answer.status, 200, "{address}");
        assert_eq!(answer.headers["content-type"], "image/jpeg", "{address}");
        assert_eq!(answer.headers["cache-control"], "public, max-age=31536000, immutable", "{address}");
        assert_eq!(answer.headers["x-content-type-options"], "nosniff", "{address}");
        let served = decoded(&answer.bytes);
        assert_eq!((served.width(), served.height()), (width, width * 9 / 16), "{address}");
        // A browser that holds it is told so without the bytes.
        let again = http_get(server.socket(), &address, &[("If-None-Match", &answer.headers["etag"])]).await;
        assert_eq!(again.status, 304, "{address}");
    }
    // The same file again is the same image, kept once.
    let twice: Media = server.call::<UploadImage>(&token, &upload(&file, "copy.jpg")).await.unwrap();
    assert_eq!(twice.url, media.url);
    assert_eq!(kept(&pool).await, (1, 3));

    // Addresses that name no image are the site's own "not found" page.
    let other = format!("/media/{}-481.jpg", path.key);
    for missing in ["/media/000000000000000000000000.jpg", &other, &path.at(160).replace(".jpg", ".png")] {
        let answer = http_get(server.socket(), missing, &[]).await;
        assert_eq!(answer.status, 404, "{missing}");
        assert!(answer.headers["content-type"].starts_with("text/html"), "{missing}");
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_photo_larger_than_an_operations_body_goes_through_the_upload_address(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("maya@example.org", TEST_PASSWORD).await;
    // Noise does not compress: about 5 MB of PNG, more than any other operation may send.
    let mut seed = 0x2545_f491_u32;
    let noise = RgbImage::from_fn(1400, 1200, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [r, g, b, _] = seed.to_le_bytes();
        Rgb([r, g, b])
    });
    let file = encoded(&DynamicImage::ImageRgb8(noise), ImageFormat::Png);
    assert!(file.len() > hub_server::OPERATION_BODY_LIMIT, "{} bytes", file.len());
    let media: Media = server.call::<UploadImage>(&token, &upload(&file, "noise.png")).await.unwrap();
    assert_eq!((media.width, media.height), (1200, 1029));
    // Another operation's body of that size is still refused.
    let refused = server
        .call_json(Some(&token), "users.list", &serde_json::json!({ "search": "x".repeat(file.len()) }))
        .await
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Validation, "{refused:?}");
}

/// A 1×1 GIF: an image, but not of a kind the hub keeps.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn what_is_not_an_image_the_hub_reads_is_refused_naming_the_file_and_nothing_is_kept(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let says = |text: &str| text.to_owned();
    let png = encoded(&DynamicImage::ImageRgb8(RgbImage::new(40, 30)), ImageFormat::Png);
    let cases: Vec<(ImageUpload, String)> = vec![
        (
            upload(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.png"),
            says("is not a JPEG, PNG or WebP image"),
        ),
        (upload(b"#!/bin/sh\nrm -rf /\n", "photo.jpg"), says("is not a JPEG, PNG or WebP image")),
        (upload(GIF, "a.gif"), says("is not a JPEG, PNG or WebP image")),
        (upload(&png[..png.len() / 2], "cut.png"), says("the image cannot be read")),
        (
            upload(
                &encoded(&DynamicImage::ImageRgb8(RgbImage::new(12_001, 1)), ImageFormat::Png),
                "wide.png",
            ),
            says("larger than 12000 pixels on a side"),
        ),
        (
            ImageUpload { file_name: "x.png".to_owned(), content_base64: "not base64 at all!".to_owned() },
            says("is not base64"),
        ),
        (
            ImageUpload { file_name: String::new(), content_base64: String::new() },
            says("choose an image file"),
        ),
    ];
    for (request, message) in cases {
        admin.refuses::<UploadImage>(&request, "content_base64", &message).await;
    }
    assert_eq!(kept(&pool).await, (0, 0));
}

/// A JPEG with an EXIF orientation: a phone held upright writes its photo sideways and says
/// "turn me 90° clockwise" (orientation 6).
fn sideways_photo() -> Vec<u8> {
    let jpeg = photo(300, 200);
    let exif: Vec<u8> = [
        &b"Exif\0\0"[..],
        b"MM\0\x2a\0\0\0\x08", // big-endian TIFF, first directory at 8
        &[0, 1],               // one entry
        &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0], // Orientation, SHORT, 1 value: 6
        &[0, 0, 0, 0],         // no next directory
    ]
    .concat();
    let length = u16::try_from(exif.len() + 2).unwrap().to_be_bytes();
    [&jpeg[..2], &[0xff, 0xe1], &length, &exif, &jpeg[2..]].concat()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_phone_photo_is_kept_upright_and_a_see_through_logo_stays_see_through(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let upright: Media = admin.call::<UploadImage>(&upload(&sideways_photo(), "phone.jpg")).await.unwrap();
    assert_eq!((upright.width, upright.height), (200, 300), "turned as the phone said");

    let logo =
        RgbaImage::from_fn(
            600,
            200,
            |x, _| if x < 300 { Rgba([59, 91, 219, 255]) } else { Rgba([0, 0, 0, 0]) },
        );
    let logo: Media = admin
        .call::<UploadImage>(&upload(&encoded(&DynamicImage::ImageRgba8(logo), ImageFormat::Png), "logo.png"))
        .await
        .unwrap();
    assert!(logo.url.ends_with(".png"), "{logo:?}");
    let api = PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let path = hub_model::media::MediaPath::parse(&logo.url).unwrap();
    let answer = api.get(&path.at(160)).await;
    assert_eq!(answer.headers["content-type"], "image/png");
    let small = decoded(&answer.bytes).to_rgba8();
    assert_eq!((small.width(), small.height()), (160, 53));
    assert_eq!(small.get_pixel(150, 20).0[3], 0, "the right half is still see-through");
    assert_eq!(small.get_pixel(10, 20).0, [59, 91, 219, 255]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_persons_photo_is_in_the_admins_list_and_on_the_team_page_and_students_upload_within_a_limit(
    pool: PgPool,
) {
    let maya = TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let as_maya = Caller::as_user(&pool, maya);
    let media: Media = as_maya.call::<UploadImage>(&upload(&photo(800, 800), "maya.jpg")).await.unwrap();
    let basics = ProfileBasics {
        full_name: "Maya Khoury".to_owned(),
        avatar_url: Some(media.url.clone()),
        bio: None,
        linkedin_url: None,
        github_url: None,
        portfolio_url: None,
    };
    as_maya.call::<UpdateMyProfiles>(&basics).await.unwrap();
    let listed = as_maya.call::<ListUsers>(&ListUsersRequest::default()).await.unwrap();
    let row = listed.items.iter().find(|user| user.id == maya).unwrap();
    assert_eq!(row.avatar_url.as_deref(), Some(media.url.as_str()));

    // The team page offers a browser the small width, and the next for sharp screens.
    let api = PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let team = api.get("/team").await;
    let path = hub_model::media::MediaPath::parse(&media.url).unwrap();
    let expected = format!("src=\"{}\" srcset=\"{} 1x, {} 2x\"", path.at(160), path.at(160), path.at(480));
    assert!(team.body.contains(&expected), "{}", team.body);
    assert_eq!(api.get(&path.at(160)).await.status, 200);

    // A photo is an uploaded image or a web address, nothing else.
    for wrong in ["/media/campus.jpg", "javascript:alert(1)", "/programs"] {
        let request = ProfileBasics { avatar_url: Some(wrong.to_owned()), ..basics.clone() };
        as_maya
            .refuses::<UpdateMyProfiles>(&request, "avatar_url", "must be an uploaded image or a web address")
            .await;
    }

    // A student may upload their photo, and thirty images a day at most.
    let student = TestUser::STUDENT.insert(&pool, "rana@example.org", None).await;
    let as_student = Caller::as_user(&pool, student);
    as_student.call::<UploadImage>(&upload(&photo(64, 64), "me.jpg")).await.unwrap();
    sqlx::query(
        "insert into media (key, format, width, height, uploaded_by)
         select lpad(to_hex(n), 24, '0'), 'jpeg', 1, 1, $1 from generate_series(1, 29) n",
    )
    .bind(student)
    .execute(&pool)
    .await
    .unwrap();
    let refused = as_student
        .call_json("media.upload", serde_json::to_value(upload(&photo(65, 64), "more.jpg")).unwrap())
        .await
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::RateLimited, "{refused:?}");
    assert!(refused.message.contains("tomorrow"), "{refused:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_programs_picture_is_on_its_card_and_its_page_and_in_the_api(pool: PgPool) {
    use hub_model::ops::SaveProgram;
    use hub_model::programs::SaveProgramRequest;
    let admin = Caller::admin(&pool).await;
    let media: Media = admin.call::<UploadImage>(&upload(&photo(1600, 900), "web.jpg")).await.unwrap();
    let web = SaveProgramRequest {
        slug: "web".to_owned(),
        title: "Web Development".to_owned(),
        image_url: Some(media.url.clone()),
        is_published: true,
        ..SaveProgramRequest::default()
    };
    let saved = admin.call::<SaveProgram>(&web).await.unwrap();
    assert_eq!(saved.image_url.as_deref(), Some(media.url.as_str()));

    let api = PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let programs = api.get("/public/programs").await.json();
    assert_eq!(programs[0]["image_url"], media.url.as_str());
    let path = hub_model::media::MediaPath::parse(&media.url).unwrap();
    let card = api.get("/programs").await.body;
    assert!(
        card.contains(&format!(
            "class=\"card__picture\" src=\"{}\" srcset=\"{}\"",
            path.at(480),
            path.srcset()
        )),
        "{card}"
    );
    let page = api.get("/programs/web").await.body;
    assert!(page.contains(&format!("class=\"program__picture\" src=\"{}\"", path.at(480))), "{page}");

    for wrong in ["/programs", "ftp://example.org/a.jpg", "/media/campus.jpg"] {
        let request = SaveProgramRequest { image_url: Some(wrong.to_owned()), ..web.clone() };
        admin
            .refuses::<SaveProgram>(
                &SaveProgramRequest { id: Some(saved.id), ..request },
                "image_url",
                "must be an uploaded image",
            )
            .await;
    }
    // No picture: taken away.
    let plain = admin
        .call::<SaveProgram>(&SaveProgramRequest { id: Some(saved.id), image_url: None, ..web })
        .await
        .unwrap();
    assert_eq!(plain.image_url, None);
}
