//! Server time of the pages on the sample index (the six bundled dossiers), through the router
//! without a socket: what a reviewer waits for once the request has arrived. The target
//! is under 50 ms for the search page.
//!
//! The `*_during_login_flood_*` benches measure the same under a flood of wrong logins kept
//! going in the background (200 at a time, made-up names so that the throttle lets them reach
//! the password check): from one address (the probe of issue 14) and from 200 addresses.
//!
//!     cargo bench -p dossiers-web --bench pages

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Bench {
    runtime: tokio::runtime::Runtime,
    app: Router,
    cookie: String,
    _site: support::Site,
}

fn bench() -> &'static Bench {
    static BENCH: OnceLock<Bench> = OnceLock::new();
    BENCH.get_or_init(|| {
        let site = support::site();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let app = dossiers_web::router(site.state.clone());
        let form = format!(
            "utilisateur={}&mot_de_passe={}",
            support::USER,
            support::PASSWORD.replace(' ', "+")
        );
        let login = Request::post("/connexion")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let response = runtime.block_on(app.clone().oneshot(login)).unwrap();
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        Bench {
            runtime,
            app,
            cookie,
            _site: site,
        }
    })
}

fn get(uri: &str) -> usize {
    let bench = bench();
    let request = Request::get(uri)
        .header(header::COOKIE, &bench.cookie)
        .body(Body::empty())
        .unwrap();
    bench.runtime.block_on(async {
        let response = bench.app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .len()
    })
}

fn main() {
    bench();
    divan::main();
}

#[divan::bench]
fn search_page_bail_emphyteotique() -> usize {
    get("/recherche?q=bail+emphyt%C3%A9otique")
}

#[divan::bench]
fn search_page_everything_with_facets() -> usize {
    get("/recherche?q=")
}

#[divan::bench]
fn search_page_filtered_by_wave() -> usize {
    get("/recherche?q=atelier&f=wave%3A2")
}

#[divan::bench]
fn dossier_page() -> usize {
    get("/dossiers/gen-0002")
}

#[divan::bench]
fn compare_page() -> usize {
    get("/comparer?ids=gen-0001&ids=gen-0002&ids=gen-0003")
}

#[divan::bench]
fn statistics_page() -> usize {
    get("/statistiques")
}

#[divan::bench]
fn api_search() -> usize {
    get("/api/search?q=bois")
}

/// Wrong logins in flight at once during a flood.
const FLOOD: usize = 200;

/// A flood of wrong logins running on the bench's runtime until dropped.
struct Flood {
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

fn login_request(user: &str, password: &str, client: SocketAddr) -> Request<Body> {
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

impl Flood {
    fn start(addresses: usize) -> Flood {
        let bench = bench();
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicUsize::new(0));
        let app = bench.app.clone();
        let (stop_flag, counter) = (Arc::clone(&stop), Arc::clone(&sent));
        let task = bench.runtime.spawn(async move {
            let mut round = 0usize;
            while !stop_flag.load(Ordering::Relaxed) {
                let mut logins = Vec::with_capacity(FLOOD);
                for n in 0..FLOOD {
                    let app = app.clone();
                    let k = n % addresses;
                    let client =
                        SocketAddr::from(([10, 1, (k / 250) as u8, (k % 250) as u8], 40_000));
                    let name = format!("inconnu-{round}-{n}");
                    logins.push(tokio::spawn(async move {
                        let _ = app.oneshot(login_request(&name, "devinette", client)).await;
                    }));
                }
                for login in logins {
                    let _ = login.await;
                }
                counter.fetch_add(FLOOD, Ordering::Relaxed);
                round += 1;
            }
        });
        // Let the first wave arrive before measuring.
        std::thread::sleep(std::time::Duration::from_millis(200));
        Flood { stop, sent, task }
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = bench().runtime.block_on(&mut self.task);
        // A flood that sent nothing would make its bench a quiet one.
        assert!(self.sent.load(Ordering::Relaxed) > 0, "the flood never ran");
    }
}

/// The reviewer's own login (right password, an address of its own) while the flood runs:
/// the time to a session, trying again after a 503 as the page says.
fn reviewer_login() -> std::time::Duration {
    let bench = bench();
    let started = std::time::Instant::now();
    let home = SocketAddr::from(([192, 0, 2, 1], 50_000));
    loop {
        let request = login_request(support::USER, support::PASSWORD, home);
        let status = bench
            .runtime
            .block_on(bench.app.clone().oneshot(request))
            .unwrap()
            .status();
        match status {
            StatusCode::SEE_OTHER => return started.elapsed(),
            StatusCode::SERVICE_UNAVAILABLE => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            other => panic!("the reviewer's login answered {other}"),
        }
    }
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn search_page_during_login_flood_from_one_address(bencher: divan::Bencher) {
    let _flood = Flood::start(1);
    bencher.bench(|| get("/recherche?q=atelier"));
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn search_page_during_login_flood_from_200_addresses(bencher: divan::Bencher) {
    let _flood = Flood::start(FLOOD);
    bencher.bench(|| get("/recherche?q=atelier"));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn login_during_login_flood_from_one_address(bencher: divan::Bencher) {
    let _flood = Flood::start(1);
    bencher.bench(reviewer_login);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn login_during_login_flood_from_200_addresses(bencher: divan::Bencher) {
    let _flood = Flood::start(FLOOD);
    bencher.bench(reviewer_login);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn login_without_flood() -> std::time::Duration {
    reviewer_login()
}
