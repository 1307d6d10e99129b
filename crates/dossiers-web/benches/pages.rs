//! Server time of the pages on the sample index (the six bundled dossiers), through the router
//! without a socket: what a reviewer waits for once the request has arrived. The target
//! is under 50 ms for the search page.
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

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
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
