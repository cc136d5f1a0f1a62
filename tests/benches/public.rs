//! `cargo xtask bench public`: the public website under load, against the ceiling of this
//! machine. `wrk` (Debian's) drives 64 connections for 20 s at the JSON API's `/public/home`
//! and `/public/programs` and at the website's home page and programs page (HTML) over the
//! demo data, each then at a minimal hyper server that returns the same bytes from memory:
//! the static baseline. Prints req/s, p50/p99, errors and the ratio; the figures go in
//! docs/BENCHMARKS.md.

use bytes_from_memory::serve_static;
use hub_tests::http_get;
use sqlx::postgres::PgPoolOptions;
use std::net::SocketAddr;
use std::process::Command;

const CONNECTIONS: &str = "64";
const DURATION: &str = "20s";

/// The baseline: hyper, HTTP/1.1, one fixed body per path, nothing else.
mod bytes_from_memory {
    use hyper::body::Bytes;
    use hyper::server::conn::http1;
    use hyper::service::service_fn;
    use hyper::{Request, Response};
    use hyper_util::rt::TokioIo;
    use std::collections::HashMap;
    use std::convert::Infallible;
    use std::net::SocketAddr;
    use std::sync::Arc;

    pub async fn serve_static(bodies: HashMap<String, Bytes>) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let bodies = Arc::new(bodies);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let bodies = bodies.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let body = bodies.get(request.uri().path()).cloned().unwrap_or_default();
                        async move {
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .header("content-type", "application/json")
                                    .body(http_body_util::Full::new(body))
                                    .unwrap(),
                            )
                        }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        address
    }
}

struct Load {
    requests_per_second: f64,
    p50: String,
    p99: String,
    errors: u64,
}

/// One wrk run; its own summary lines parsed.
fn load(address: SocketAddr, path: &str) -> Load {
    let output = Command::new("wrk")
        .args(["-t2", "-c", CONNECTIONS, "-d", DURATION, "--latency", &format!("http://{address}{path}")])
        .output()
        .expect("wrk runs (apt-get install wrk; cargo xtask bench public installs it)");
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
    };
    let number = |text: &str| text.split_whitespace().next().unwrap_or("0").parse::<f64>().unwrap_or(0.0);
    let non_2xx = field("Non-2xx or 3xx responses:").map_or(0, |count| number(&count) as u64);
    let socket_errors: u64 = field("Socket errors:")
        .map(|errors| {
            errors.split(',').filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok()).sum()
        })
        .unwrap_or(0);
    Load {
        requests_per_second: field("Requests/sec:").map_or(0.0, |rate| number(&rate)),
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
        errors: non_2xx + socket_errors,
    }
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("public").await;
    let url = database.url.clone();
    let pool = PgPoolOptions::new().max_connections(8).connect(&url).await.expect("connect");
    hub_core::demo::seed(&pool).await.expect("demo");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public = listener.local_addr().unwrap();
    tokio::spawn(hub_public::serve(
        listener,
        pool.clone(),
        pool.clone(),
        hub_public::PublicConfig::default(),
    ));

    let paths = ["/public/home", "/public/programs", "/", "/programs"];
    let mut bodies = std::collections::HashMap::new();
    for path in paths {
        let answer = http_get(public, path, &[]).await;
        assert_eq!(answer.status, 200, "{path}");
        bodies.insert(path.to_owned(), hyper::body::Bytes::from(answer.body.into_bytes()));
    }
    let baseline = serve_static(bodies).await;

    println!(
        "{:18} {:>12} {:>10} {:>10} {:>7} {:>12}",
        "endpoint", "req/s", "p50", "p99", "errors", "of baseline"
    );
    for path in paths {
        // wrk blocks: run it off the runtime so both servers keep serving.
        let served = tokio::task::spawn_blocking(move || load(public, path)).await.unwrap();
        let ceiling = tokio::task::spawn_blocking(move || load(baseline, path)).await.unwrap();
        for (name, result) in [(path.to_owned(), &served), ("  static baseline".to_owned(), &ceiling)] {
            println!(
                "{name:18} {:>12.0} {:>10} {:>10} {:>7} {:>11.0}%",
                result.requests_per_second,
                result.p50,
                result.p99,
                result.errors,
                100.0 * result.requests_per_second / ceiling.requests_per_second.max(1.0)
            );
        }
    }

    pool.close().await;
    database.drop().await;
}
