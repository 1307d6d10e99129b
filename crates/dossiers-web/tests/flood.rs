//! Issue 14, 1: 300 parallel wrong logins took the server from 47 MB to 6.26 GB, for good, and
//! slowed searches from 5 ms to 300 ms. Here 200 wrong logins arrive at once while a logged-in
//! reviewer searches: the search must still be answered (within a generous bound: the latency
//! under a flood is measured by `make bench`, not here) and the server's peak memory must stay
//! under 150 MB.
//!
//! The test has a binary of its own so that the process's peak resident memory is the
//! server's: no other test runs beside it. Linux only (it reads `/proc/self`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use support::{PASSWORD, USER, site};

/// Concurrent wrong logins.
const FLOOD: usize = 200;
/// The bound on the server's peak resident memory.
const PEAK_LIMIT_BYTES: u64 = 150 * 1024 * 1024;
/// Generous: the search answers in milliseconds on a quiet machine; this only says it answers.
const SEARCH_BOUND: Duration = Duration::from_secs(120);

async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

fn login(user: &str, password: &str, client: SocketAddr) -> Request<Body> {
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("utilisateur", user)
        .append_pair("mot_de_passe", password)
        .finish();
    let mut request = Request::post("/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    request.extensions_mut().insert(ConnectInfo(client));
    request
}

/// A `kB` line of `/proc/self/status`, in bytes.
fn status_bytes(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with(key))
        .unwrap_or_else(|| panic!("no {key} in /proc/self/status"));
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb * 1024
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_wrong_logins_at_once_keep_memory_bounded_and_search_answering() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let home = SocketAddr::from(([192, 0, 2, 1], 50_000));
    let (status, headers, _) = send(&app, login(USER, PASSWORD, home)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let search = |cookie: &str| {
        Request::get("/recherche?q=atelier")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(send(&app, search(&cookie)).await.0, StatusCode::OK);

    // From here on, the peak is the flood's: building the site does not count.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_bytes("VmRSS:");

    // Made-up names from many addresses, so that the throttle lets every one through to the
    // password check: what bounds memory here is the hashing pool alone.
    let mut flood = Vec::with_capacity(FLOOD);
    for n in 0..FLOOD {
        let app = app.clone();
        let client = SocketAddr::from(([10, 0, (n / 250) as u8, (n % 250) as u8], 40_000));
        flood.push(tokio::spawn(async move {
            send(&app, login(&format!("inconnu-{n}"), "devinette", client))
                .await
                .0
        }));
    }
    let searched = tokio::time::timeout(SEARCH_BOUND, send(&app, search(&cookie)))
        .await
        .expect("the search answers during the flood");
    assert_eq!(searched.0, StatusCode::OK);
    let mut refused = 0;
    let mut checked = 0;
    for login in flood {
        match login.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::SERVICE_UNAVAILABLE => refused += 1,
            other => panic!("a wrong login answered {other}"),
        }
    }
    let peak = status_bytes("VmHWM:");
    let after = status_bytes("VmRSS:");
    println!(
        "{FLOOD} wrong logins: {checked} checked, {refused} refused as busy; RSS {} MB before, peak {} MB, {} MB after",
        before >> 20,
        peak >> 20,
        after >> 20
    );
    assert!(checked > 0, "the pool checked some");
    assert!(
        peak < PEAK_LIMIT_BYTES,
        "peak RSS {} MB during the flood (limit {} MB)",
        peak >> 20,
        PEAK_LIMIT_BYTES >> 20
    );
}
