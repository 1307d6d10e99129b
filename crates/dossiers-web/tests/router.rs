//! Every page and API call through the router, without a port: refused without a session,
//! answered with one; login, logout, downloads, escaping, and reloading after a batch commits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::time::{Duration, Instant};

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use support::{PASSWORD, USER, site};

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

async fn login(app: &Router, user: &str, password: &str) -> Reply {
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("utilisateur", user)
        .append_pair("mot_de_passe", password)
        .append_pair("suite", "/statistiques")
        .finish();
    let request = Request::post("/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    send(app, request).await
}

/// Logs in and returns the `Cookie` header value of the session.
async fn session(app: &Router) -> String {
    let reply = login(app, USER, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let set = reply.header(header::SET_COOKIE).to_owned();
    set.split(';').next().unwrap().to_owned()
}

/// Every protected route, with what a logged-in reviewer gets.
const PAGES: &[(&str, &str)] = &[
    ("/recherche?q=bail+emphyt%C3%A9otique", "text/html"),
    ("/recherche", "text/html"),
    ("/dossiers/gen-0002", "text/html"),
    ("/dossiers/gen-0002/fichiers/0", "application/msword"),
    ("/comparer?ids=gen-0001&ids=gen-0002", "text/html"),
    (
        "/comparer.docx?ids=gen-0001&ids=gen-0002",
        "application/vnd.openxmlformats",
    ),
    ("/statistiques", "text/html"),
    ("/statistiques?vague=2", "text/html"),
    ("/statistiques/legal_form.csv", "text/csv"),
    (
        "/statistiques/region.xlsx?vague=2",
        "application/vnd.openxmlformats",
    ),
    ("/api/search?q=bois", "application/json"),
    ("/api/dossiers/gen-0001", "application/json"),
    ("/api/dossiers/gen-0001/similar", "application/json"),
    ("/api/compare?ids=gen-0001,gen-0003", "application/json"),
    ("/api/stats", "application/json"),
    ("/api/stats?by=region&wave=all", "application/json"),
];

#[tokio::test]
async fn every_route_is_refused_without_a_session_and_answered_with_one() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    for (uri, _) in PAGES {
        let reply = get(&app, uri, None).await;
        if uri.starts_with("/api/") {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri}");
            assert_eq!(reply.json()["error"], "authentication required");
        } else {
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{uri}");
            assert!(
                reply
                    .header(header::LOCATION)
                    .starts_with("/connexion?suite=%2F"),
                "{uri}: {}",
                reply.header(header::LOCATION)
            );
        }
        // A made-up token is no session either.
        let forged = get(&app, uri, Some("dossiers_session=00112233")).await;
        assert_ne!(forged.status, StatusCode::OK, "{uri}");
    }
    let cookie = session(&app).await;
    for (uri, content_type) in PAGES {
        let reply = get(&app, uri, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
        assert!(
            reply.header(header::CONTENT_TYPE).starts_with(content_type),
            "{uri}: {}",
            reply.header(header::CONTENT_TYPE)
        );
        assert!(!reply.body.is_empty(), "{uri}");
        assert_eq!(reply.header(header::X_FRAME_OPTIONS), "DENY", "{uri}");
        assert!(
            reply
                .header(header::CONTENT_SECURITY_POLICY)
                .contains("default-src 'none'")
        );
        assert!(reply.headers.contains_key("server-timing"), "{uri}");
    }
}

#[tokio::test]
async fn login_sets_a_strict_cookie_and_logout_ends_the_session() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let form = get(&app, "/connexion?suite=%2Fdossiers%2Fgen-0001", None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains(r#"value="/dossiers/gen-0001""#));

    let wrong = login(&app, USER, "pas le bon mot de passe").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .contains("Identifiant ou mot de passe incorrect")
    );
    assert!(wrong.header(header::SET_COOKIE).is_empty());
    let unknown = login(&app, "personne", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let reply = login(&app, USER, PASSWORD).await;
    assert_eq!(reply.header(header::LOCATION), "/statistiques");
    let set_cookie = reply.header(header::SET_COOKIE);
    for part in ["dossiers_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP on loopback: {set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert_eq!(
        get(&app, "/api/stats", Some(&cookie)).await.status,
        StatusCode::OK
    );

    let logout = Request::post("/deconnexion")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, logout).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.header(header::SET_COOKIE).contains("Max-Age=0"));
    assert_eq!(
        get(&app, "/api/stats", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Behind a TLS proxy the cookie is Secure.
    let form = "utilisateur=claire&mot_de_passe=un+mot+de+passe+de+test";
    let request = Request::post("/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(Body::from(form))
        .unwrap();
    assert!(
        send(&app, request)
            .await
            .header(header::SET_COOKIE)
            .contains("; Secure")
    );
}

/// A login form posted from `client` (as the server sees the peer).
async fn login_from(app: &Router, client: [u8; 4], form: &str) -> Reply {
    let mut request = Request::post("/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((client, 50_000))));
    send(app, request).await
}

fn login_form(user: &str, password: &str, suite: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("utilisateur", user)
        .append_pair("mot_de_passe", password)
        .append_pair("suite", suite)
        .finish()
}

const ELSEWHERE: [u8; 4] = [198, 51, 100, 7];
const HOME: [u8; 4] = [192, 0, 2, 1];

/// Issue 14, 3: five wrong passwords typed by anyone locked the reviewer out for 15 minutes.
#[tokio::test]
async fn wrong_passwords_slow_their_address_and_not_the_reviewer() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let wrong = login_form(USER, "devinette", "/recherche");
    for _ in 0..5 {
        let reply = login_from(&app, ELSEWHERE, &wrong).await;
        assert!(
            matches!(
                reply.status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
            "{}",
            reply.status
        );
    }
    // The address that failed waits, with the right password too, and is told how long.
    let right = login_form(USER, PASSWORD, "/recherche");
    let slowed = login_from(&app, ELSEWHERE, &right).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(slowed.header(header::SET_COOKIE).is_empty());
    assert!(!slowed.header(header::RETRY_AFTER).is_empty());
    assert!(
        slowed.text().contains("réessayez dans"),
        "{}",
        slowed.text()
    );
    // The reviewer at home is not slowed at all.
    let reviewer = login_from(&app, HOME, &right).await;
    assert_eq!(
        reviewer.status,
        StatusCode::SEE_OTHER,
        "{}",
        reviewer.text()
    );
    assert!(
        reviewer
            .header(header::SET_COOKIE)
            .contains("dossiers_session=")
    );
}

/// Issue 14, 2: a 1 MB name was kept, logged whole and tracked.
#[tokio::test]
async fn names_are_capped_before_they_are_read_kept_or_hashed() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    // A megabyte as a name: refused before parsing, nothing kept.
    let huge = login_form(&"x".repeat(1 << 20), "devinette", "/recherche");
    for _ in 0..20 {
        let reply = login_from(&app, ELSEWHERE, &huge).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(reply.text().contains("Formulaire trop volumineux"));
    }
    // A name under the form's cap but over an account name's: refused without a check, and
    // not tracked (it can be no account).
    let long = login_form(&"y".repeat(3_000), "devinette", "/recherche");
    let reply = login_from(&app, ELSEWHERE, &long).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(!reply.text().contains("yyyyyyyyyy"));
    assert!(site.state.throttle.is_empty());
    // The same holds for a name with a newline (issue 14, 5: log forging; the text log's
    // escaping is tested where it is set up, in the CLI).
    let forged = login_form("x\nINFO login user=admin", "devinette", "/recherche");
    assert_eq!(
        login_from(&app, ELSEWHERE, &forged).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(site.state.throttle.is_empty());
    assert_eq!(
        login_from(&app, ELSEWHERE, &login_form(USER, PASSWORD, "/"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

/// Issue 14, 1: nothing bounded concurrent argon2 work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saturated_password_pool_answers_503_at_once() {
    // One worker and one place in the queue: a dozen logins at once cannot all be checked.
    let site = support::site_with_pool(dossiers_web::hashing::PasswordPool::new(1, 1));
    let app = dossiers_web::router(site.state.clone());
    let mut tasks = Vec::new();
    for n in 0..12u8 {
        let app = app.clone();
        let form = login_form(&format!("inconnu-{n}"), "devinette", "/recherche");
        tasks.push(tokio::spawn(async move {
            login_from(&app, [10, 0, 0, n], &form).await
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    let busy: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "some logins found the pool full");
    assert!(
        replies.iter().any(|r| r.status == StatusCode::UNAUTHORIZED),
        "some were checked"
    );
    for reply in busy {
        assert_eq!(reply.header(header::RETRY_AFTER), "5");
        assert!(reply.text().contains("Trop de connexions en même temps"));
    }
}

/// One address cannot take the whole queue: beyond two checks under way, it is told to wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_has_at_most_two_checks_under_way() {
    let site = support::site_with_pool(dossiers_web::hashing::PasswordPool::new(1, 64));
    let app = dossiers_web::router(site.state.clone());
    let mut tasks = Vec::new();
    for n in 0..8u8 {
        let app = app.clone();
        let form = login_form(&format!("inconnu-{n}"), "devinette", "/recherche");
        tasks.push(tokio::spawn(async move {
            login_from(&app, ELSEWHERE, &form).await
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        let reply = task.await.unwrap();
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.text().contains("déjà en cours depuis cette adresse"));
        }
        statuses.push(reply.status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::UNAUTHORIZED), "{statuses:?}");
    // Another address still gets its check.
    let reply = login_from(&app, HOME, &login_form(USER, PASSWORD, "/")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

/// Issue 14, 4: `suite=/%09/evil.example` redirected off site, `/%0a…` gave a 500.
#[tokio::test]
async fn a_login_never_redirects_off_site() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    for suite in [
        "//evil.example/",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\nSet-Cookie: a=b",
        "/%09/evil.example",
        "/%0a/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/é",
    ] {
        let reply = login_from(&app, HOME, &login_form(USER, PASSWORD, suite)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{suite:?}");
        assert_eq!(reply.header(header::LOCATION), "/recherche", "{suite:?}");
        // The form carries no hostile target either.
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("suite", suite)
            .finish();
        let form = get(&app, &format!("/connexion?{query}"), None).await;
        assert_eq!(form.status, StatusCode::OK, "{suite:?}");
        assert!(
            form.text().contains(r#"name="suite" value="/recherche""#),
            "{suite:?}"
        );
    }
    let reply = login_from(
        &app,
        HOME,
        &login_form(USER, PASSWORD, "/dossiers/gen-0001?x=1"),
    )
    .await;
    assert_eq!(reply.header(header::LOCATION), "/dossiers/gen-0001?x=1");
}

/// Issue 14, 6: `GET /deconnexion` gave an empty 405, `/dossiers/%ff` English plain text,
/// `/api/nope` an HTML page, `wave=256` « un nombre attendu ».
#[tokio::test]
async fn framework_errors_are_french_pages_and_json_under_the_api() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;

    // Logging out is a button on GET; the POST does it.
    let logout = get(&app, "/deconnexion", Some(&cookie)).await;
    assert_eq!(logout.status, StatusCode::OK);
    assert!(
        logout
            .text()
            .contains(r#"<form method="post" action="/deconnexion">"#)
    );

    // A method a route does not take, a path that does not decode: French pages.
    let request = Request::delete("/recherche")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let refused = send(&app, request).await;
    assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        refused
            .header(header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    assert!(refused.text().contains("Action impossible ici"));
    assert!(!refused.header(header::ALLOW).is_empty());
    let undecodable = get(&app, "/dossiers/%ff", Some(&cookie)).await;
    assert_eq!(undecodable.status, StatusCode::BAD_REQUEST);
    assert!(
        undecodable
            .header(header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    assert!(
        undecodable.text().contains("Adresse incomprise"),
        "{}",
        undecodable.text()
    );
    assert!(
        undecodable.text().contains("Se déconnecter"),
        "the page knows who is there"
    );

    // Under /api/, every error is JSON: unknown calls, methods, paths, with or without session.
    let with = Some(cookie.as_str());
    for (method, uri, cookie, status) in [
        ("GET", "/api/nope", with, StatusCode::NOT_FOUND),
        ("GET", "/api/nope", None, StatusCode::NOT_FOUND),
        ("GET", "/api", with, StatusCode::NOT_FOUND),
        ("POST", "/api/search", with, StatusCode::METHOD_NOT_ALLOWED),
        ("GET", "/api/dossiers/%ff", with, StatusCode::BAD_REQUEST),
        ("GET", "/api/search", None, StatusCode::UNAUTHORIZED),
    ] {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let reply = send(&app, request.body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, status, "{method} {uri}");
        assert!(
            reply
                .header(header::CONTENT_TYPE)
                .starts_with("application/json"),
            "{method} {uri}: {}",
            reply.header(header::CONTENT_TYPE)
        );
        assert!(reply.json()["error"].is_string(), "{method} {uri}");
    }

    // A wave past any wave says so.
    for uri in ["/recherche?wave=256", "/statistiques?vague=256"] {
        let reply = get(&app, uri, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            reply.text().contains("aucune vague ne porte ce numéro"),
            "{uri}"
        );
    }
    let api = get(&app, "/api/search?wave=256", Some(&cookie))
        .await
        .json();
    assert!(api["error"].as_str().unwrap().contains("aucune vague"));
}

/// Issue 14, 6: `fichiers/1` on a one-file dossier said the file had left the sources.
#[tokio::test]
async fn a_file_position_past_the_dossier_s_files_says_so() {
    let mut record = dossiers_model::Record::new("un-fichier");
    record.files = vec![dossiers_model::FileEntry {
        path: "un-fichier/dossier.docx".into(),
        role: dossiers_model::FileRole::Application,
        format: dossiers_model::FileFormat::Docx,
        bytes: 10,
        blake3: None,
        status: dossiers_model::FileStatus::Error,
        error: Some("corrupt".into()),
        note: None,
    }];
    let site = support::site_of(&[record]);
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let past = get(&app, "/dossiers/un-fichier/fichiers/1", Some(&cookie)).await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);
    assert!(
        past.text().contains("Ce dossier n&#39;a qu&#39;un fichier")
            || past.text().contains("Ce dossier n'a qu'un fichier"),
        "{}",
        past.text()
    );
    let unread = get(&app, "/dossiers/un-fichier/fichiers/0", Some(&cookie)).await;
    assert_eq!(unread.status, StatusCode::NOT_FOUND);
    assert!(
        unread.text().contains("sans son empreinte"),
        "{}",
        unread.text()
    );
}

#[tokio::test]
async fn the_search_page_shows_hits_facets_snippets_and_pages() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let page = get(&app, "/recherche?q=bail+emphyt%C3%A9otique", Some(&cookie))
        .await
        .text();
    assert!(page.contains(r#"data-id="gen-0002""#), "{page}");
    assert!(page.contains("<b>emphytéotique</b>"), "highlighted snippet");
    assert!(page.contains(r#"data-dimension="wave""#));
    assert!(
        page.contains("Bail emphytéotique"),
        "facet values in French"
    );

    // A wave filter narrows the hits and the facets.
    let all = get(&app, "/api/search?q=atelier", Some(&cookie))
        .await
        .json();
    let wave3 = get(&app, "/api/search?q=atelier&f=wave:3", Some(&cookie))
        .await
        .json();
    assert!(wave3["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());
    assert!(
        wave3["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["wave"] == 3)
    );
    let html = get(&app, "/recherche?q=atelier&f=wave%3A3", Some(&cookie))
        .await
        .text();
    assert!(html.contains("Vague : Vague 3 ×"), "active filter chip");

    // Pagination: page 2 of a one-page result is empty, page 0 is refused.
    let second = get(&app, "/api/search?q=&page=2", Some(&cookie))
        .await
        .json();
    assert_eq!(second["hits"].as_array().unwrap().len(), 0);
    assert_eq!(
        get(&app, "/recherche?page=0", Some(&cookie)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/search?limit=1000", Some(&cookie))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/search?f=nope:1", Some(&cookie))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn what_a_user_types_is_escaped() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let page = get(
        &app,
        "/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        Some(&cookie),
    )
    .await;
    let text = page.text();
    assert!(!text.contains("<script>"), "{text}");
    assert!(text.contains("&lt;script&gt;"));
    let missing = get(&app, "/dossiers/%3Cimg%20src%3Dx%3E", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.text().contains("<img src=x>"));
}

#[tokio::test]
async fn the_dossier_page_shows_flags_sources_sections_files_and_similar() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let record = get(&app, "/api/dossiers/gen-0001", Some(&cookie))
        .await
        .json();
    let page = get(&app, "/dossiers/gen-0001", Some(&cookie)).await.text();
    let structure = record["applicant"]["structure_name"].as_str().unwrap();
    assert!(page.contains(&maud::html! { (structure) }.into_string()));
    for flag in record["flags"].as_array().unwrap() {
        let code = flag["code"].as_str().unwrap();
        assert!(page.contains(&format!(r#"data-code="{code}""#)), "{code}");
    }
    let provenance = record["provenance"].as_object().unwrap();
    let (_, first) = provenance.iter().next().unwrap();
    assert!(
        page.contains(&maud::html! { (first["at"].as_str().unwrap()) }.into_string()),
        "sources shown"
    );
    assert!(page.contains("/dossiers/gen-0001/fichiers/0"));
    assert!(page.contains("<details class=\"section\">"));
    assert!(page.contains(r#"id="similaires""#));
    assert!(page.contains("Budget par année"));
}

#[tokio::test]
async fn downloads_serve_only_indexed_files_with_their_recorded_hash() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let record = get(&app, "/api/dossiers/gen-0003", Some(&cookie))
        .await
        .json();
    let file = &record["files"][0];
    let reply = get(&app, "/dossiers/gen-0003/fichiers/0", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body.len() as u64, file["bytes"].as_u64().unwrap());
    assert!(
        reply
            .header(header::CONTENT_DISPOSITION)
            .starts_with("attachment; filename=")
    );

    // No position past the record's files, no path from the request.
    for uri in [
        "/dossiers/gen-0003/fichiers/9",
        "/dossiers/gen-0003/fichiers/..%2F..%2Fusers",
        "/dossiers/..%2Fusers/fichiers/0",
        "/dossiers/gen-0003/fichiers/-1",
    ] {
        let reply = get(&app, uri, Some(&cookie)).await;
        assert!(
            matches!(
                reply.status,
                StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST
            ),
            "{uri}: {}",
            reply.status
        );
        assert!(!reply.text().contains("argon2"), "{uri}");
    }

    // A file changed since indexing is not served in place of the indexed one.
    let path = site.dossiers.join(file["path"].as_str().unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.push(b'x');
    std::fs::write(&path, bytes).unwrap();
    assert_eq!(
        get(&app, "/dossiers/gen-0003/fichiers/0", Some(&cookie))
            .await
            .status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn compare_marks_differences_and_checks_its_ids() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let page = get(&app, "/comparer?ids=gen-0001&ids=gen-0004", Some(&cookie))
        .await
        .text();
    assert!(page.contains(r#"<tr class="differs" data-key="#));
    assert!(page.contains("Sections, alignées par thème"));
    let docx = get(
        &app,
        "/comparer.docx?ids=gen-0001&ids=gen-0004",
        Some(&cookie),
    )
    .await;
    assert!(docx.body.starts_with(b"PK"));
    for uri in [
        "/comparer?ids=gen-0001",
        "/comparer?ids=a,b,c,d,e,f",
        "/api/compare?ids=gen-0001",
    ] {
        assert_eq!(
            get(&app, uri, Some(&cookie)).await.status,
            StatusCode::BAD_REQUEST,
            "{uri}"
        );
    }
    assert_eq!(
        get(&app, "/api/compare?ids=gen-0001,nope", Some(&cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn statistics_draw_charts_with_their_tables_and_downloads() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let page = get(&app, "/statistiques", Some(&cookie)).await.text();
    for id in [
        "stat-wave",
        "stat-legal_form",
        "stat-region",
        "stat-land_control",
        "stat-sector",
        "stat-budget",
        "stat-subsidy",
        "stat-flag",
    ] {
        assert!(page.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(page.matches("<svg").count() >= 8);
    assert!(page.contains("<rect"));
    assert!(page.contains("Grand Est"), "regions by name");
    // Over all waves, each dimension's bars are split by wave, with the counts per wave.
    assert!(page.contains(r#"class="chart stacked""#));
    assert!(page.contains(r#"class="figures by-wave""#));
    let stats = get(&app, "/api/stats", Some(&cookie)).await.json();
    let counted: u64 = stats["budget_distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert!(counted > 0 && counted <= 6);
    let wave = get(&app, "/statistiques?vague=3", Some(&cookie))
        .await
        .text();
    assert!(wave.contains("dans la vague 3"));
    let csv = get(&app, "/statistiques/legal_form.csv?vague=2", Some(&cookie)).await;
    assert!(
        csv.header(header::CONTENT_DISPOSITION)
            .contains("statistiques-legal_form-vague-2.csv")
    );
    assert!(csv.text().lines().count() >= 2);
    assert_eq!(
        get(&app, "/statistiques/nope.csv", Some(&cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/statistiques?vague=x", Some(&cookie))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_server_sees_a_batch_commit_without_restarting() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let before = get(&app, "/api/search?q=", Some(&cookie)).await.json()["total"]
        .as_u64()
        .unwrap();

    // A batch in "another process": its own handle on the folder, one more dossier, a commit.
    let writer_side = dossiers_index::DossierIndex::open(&site.index).unwrap();
    let mut writer = writer_side.writer().unwrap();
    let mut record = dossiers_model::Record::new("nouveau-0007");
    record.applicant.structure_name = Some("Atelier tout neuf".into());
    writer.upsert(&record, "").unwrap();
    writer.commit("batch-2").unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let total = get(&app, "/api/search?q=", Some(&cookie)).await.json()["total"]
            .as_u64()
            .unwrap();
        if total == before + 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new commit was never seen ({total} dossiers)"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let found = get(&app, "/api/dossiers/nouveau-0007", Some(&cookie)).await;
    assert_eq!(found.status, StatusCode::OK);
}

#[tokio::test]
async fn results_come_in_pages_of_twenty_with_links_between_them() {
    let records: Vec<dossiers_model::Record> = (0..45)
        .map(|n| {
            let mut record = dossiers_model::Record::new(format!("d-{n:02}"));
            record.wave = Some(2 + (n % 2) as u8);
            record.sections = vec![dossiers_model::Section {
                topic: dossiers_model::SectionTopic::Activities,
                title: "Activités".into(),
                text: format!("Atelier de menuiserie numéro {n}."),
                at: "section 1".into(),
            }];
            record
        })
        .collect();
    let site = support::site_of(&records);
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let mut seen = std::collections::BTreeSet::new();
    for page in 1..=3 {
        let html = get(
            &app,
            &format!("/recherche?q=menuiserie&page={page}"),
            Some(&cookie),
        )
        .await
        .text();
        assert!(html.contains(&format!("Page {page} sur 3")), "{page}");
        assert_eq!(html.contains(r#"rel="prev""#), page > 1, "{page}");
        assert_eq!(html.contains(r#"rel="next""#), page < 3, "{page}");
        let ids: Vec<&str> = html
            .split(r#"<li class="hit" data-id=""#)
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert_eq!(ids.len(), if page < 3 { 20 } else { 5 }, "{page}");
        seen.extend(ids.into_iter().map(str::to_owned));
    }
    assert_eq!(seen.len(), 45, "every dossier once across the pages");
    let next = get(
        &app,
        "/recherche?q=menuiserie&f=wave%3A3&page=1",
        Some(&cookie),
    )
    .await
    .text();
    assert!(
        next.contains("f=wave%3A3&amp;page=2"),
        "page links keep the filters"
    );
}

/// The ids of a results page, in order.
fn hit_ids(html: &str) -> Vec<String> {
    html.split(r#"<li class="hit" data-id=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

/// Issue 14, reviewers 1: sort, key columns, number order without words.
#[tokio::test]
async fn results_sort_show_key_figures_and_list_by_number_without_words() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;

    // By subsidy, largest first: the order of the records' own figures.
    let api = get(&app, "/api/search?q=&sort=subsidy&limit=10", Some(&cookie))
        .await
        .json();
    let subsidies: Vec<f64> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["subsidy_requested"].as_f64())
        .collect();
    assert!(subsidies.len() >= 2, "{api}");
    assert!(subsidies.windows(2).all(|w| w[0] >= w[1]), "{subsidies:?}");
    let page = get(&app, "/recherche?q=&tri=subvention", Some(&cookie))
        .await
        .text();
    let api_ids: Vec<String> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["dossier_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(hit_ids(&page), api_ids, "the page lists what the API sorts");
    assert!(
        page.contains(r#"<option value="subvention" selected>"#),
        "the choice is kept"
    );
    // Increasing; the sort is kept by the other links of the page.
    let rising = get(
        &app,
        "/recherche?q=&tri=subvention&ordre=croissant",
        Some(&cookie),
    )
    .await
    .text();
    let with_subsidy = subsidies.len();
    let mut reversed: Vec<String> = hit_ids(&page).into_iter().take(with_subsidy).collect();
    reversed.reverse();
    assert_eq!(
        hit_ids(&rising)
            .into_iter()
            .take(with_subsidy)
            .collect::<Vec<_>>(),
        reversed,
        "missing amounts stay last either way"
    );
    assert!(rising.contains("tri=subvention&amp;ordre=croissant"));

    // Every hit shows its budget, subsidy, share and alerts.
    for class in ["budget", "subsidy", "share", "alerts"] {
        assert_eq!(
            page.matches(&format!(r#"<dd class="{class}""#)).count(),
            api_ids.len(),
            "{class}"
        );
    }
    assert!(page.contains(" €</dd>"), "amounts in euros");
    assert!(page.contains(" %</dd>"), "shares in percent");

    // No words: number order (here the ids, the samples having no DS number).
    let everything = hit_ids(&get(&app, "/recherche", Some(&cookie)).await.text());
    let mut by_id = everything.clone();
    by_id.sort();
    assert_eq!(everything, by_id);
    assert_eq!(everything.len(), 6);

    // Every key is accepted; an unknown one is said.
    for key in ["pertinence", "numero", "depot", "budget", "part"] {
        let reply = get(
            &app,
            &format!("/recherche?q=atelier&tri={key}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{key}");
    }
    let unknown = get(&app, "/recherche?tri=couleur", Some(&cookie)).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.text().contains("tri « couleur » inconnu"));
}

/// Issue 14, reviewers 3: `bois AND metal` found nothing where `bois metal` found 6; « none »
/// was shown as a sector.
#[tokio::test]
async fn and_and_parentheses_work_and_no_code_shows_as_a_value() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let total = |query: &str| {
        let app = app.clone();
        let cookie = cookie.clone();
        let uri = format!(
            "/api/search?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("q", query)
                .finish()
        );
        async move {
            get(&app, &uri, Some(&cookie)).await.json()["total"]
                .as_u64()
                .unwrap()
        }
    };
    let spaced = total("atelier bois").await;
    assert!(spaced > 0);
    assert_eq!(total("atelier AND bois").await, spaced);
    assert_eq!(total("atelier ET bois").await, spaced);
    assert_eq!(total("(atelier bois)").await, spaced);
    let either = total("(menuiserie OR céramique) atelier").await;
    assert!(either >= total("menuiserie atelier").await);

    let page = get(&app, "/recherche", Some(&cookie)).await.text();
    assert!(!page.contains(">none "), "a code shown as a value");
    for facet in page.split(r#"data-value="none">"#).skip(1) {
        let label = facet.split('<').next().unwrap().trim();
        assert!(
            [
                "Non précisée",
                "Non précisé",
                "Aucune alerte",
                "Aucun programme"
            ]
            .contains(&label),
            "{label:?}"
        );
    }
}

/// Issue 14, reviewers 1: « Page 3 sur 2 ».
#[tokio::test]
async fn a_page_past_the_last_leads_to_the_last() {
    let records: Vec<dossiers_model::Record> = (0..25)
        .map(|n| {
            let mut record = dossiers_model::Record::new(format!("d-{n:02}"));
            record.sections = vec![dossiers_model::Section {
                topic: dossiers_model::SectionTopic::Activities,
                title: "Activités".into(),
                text: format!("Atelier de menuiserie numéro {n}."),
                at: "section 1".into(),
            }];
            record
        })
        .collect();
    let site = support::site_of(&records);
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let past = get(
        &app,
        "/recherche?q=menuiserie&tri=numero&page=3",
        Some(&cookie),
    )
    .await;
    assert_eq!(past.status, StatusCode::SEE_OTHER);
    assert_eq!(
        past.header(header::LOCATION),
        "/recherche?q=menuiserie&tri=numero&page=2"
    );
    let last = get(&app, past.header(header::LOCATION), Some(&cookie))
        .await
        .text();
    assert!(last.contains("Page 2 sur 2"));
    assert_eq!(hit_ids(&last).len(), 5);
}

/// Issue 14, reviewers 2: the sheet keeps values apart, folds the sources, writes dates in
/// French, says why a file gave no text and shows images and PDFs inline.
#[tokio::test]
async fn the_dossier_sheet_folds_sources_and_shows_attachments_inline() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let reply = get(&app, "/dossiers/gen-0001", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = reply.text();
    // Sources are folded (closed <details>) under each group, not beside each value.
    assert!(
        page.contains(r#"<details class="sources"><summary>Sources ("#),
        "{page}"
    );
    assert!(!page.contains(r#"<details class="sources" open"#));
    assert!(!page.contains(r#"<span class="source">"#));
    // A French date.
    let record = get(&app, "/api/dossiers/gen-0001", Some(&cookie))
        .await
        .json();
    if record["deposited_at"].is_string() {
        let shown = page.split(r#"<span id="depot">"#).nth(1).unwrap();
        let shown = shown.split('<').next().unwrap();
        assert!(
            shown.contains(" 20") && shown.contains(" à ") && shown.contains(" h "),
            "{shown}"
        );
    }
    // The attached image is shown from this server, the PDF offered inline, and the page's
    // policy allows just that.
    let files = record["files"].as_array().unwrap();
    let image = files
        .iter()
        .position(|f| f["path"].as_str().unwrap().ends_with(support::IMAGE_NAME))
        .unwrap();
    let pdf = files
        .iter()
        .position(|f| f["path"].as_str().unwrap().ends_with(support::PDF_NAME))
        .unwrap();
    assert!(page.contains(&format!(
        r#"<img src="/dossiers/gen-0001/fichiers/{image}/apercu""#
    )));
    assert!(page.contains(&format!(
        r#"<object data="/dossiers/gen-0001/fichiers/{pdf}/apercu" type="application/pdf">"#
    )));
    assert!(
        page.contains("Texte non extrait : une image n"),
        "why the image gave no text"
    );
    assert!(
        page.contains("Texte non extrait : format PDF non pris en charge"),
        "{page}"
    );
    let policy = reply.header(header::CONTENT_SECURITY_POLICY);
    assert!(
        policy.contains("img-src 'self'")
            && policy.contains("object-src 'self'")
            && policy.contains("frame-src 'self'"),
        "{policy}"
    );
    assert!(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"));
    let search = get(&app, "/recherche", Some(&cookie)).await;
    assert!(
        !search
            .header(header::CONTENT_SECURITY_POLICY)
            .contains("object-src"),
        "only the sheet"
    );

    let shown = get(
        &app,
        &format!("/dossiers/gen-0001/fichiers/{image}/apercu"),
        Some(&cookie),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.header(header::CONTENT_TYPE), "image/png");
    assert!(
        shown
            .header(header::CONTENT_DISPOSITION)
            .starts_with("inline;")
    );
    assert_eq!(shown.header(header::X_FRAME_OPTIONS), "SAMEORIGIN");
    assert!(shown.body.starts_with(b"\x89PNG"));
    let shown = get(
        &app,
        &format!("/dossiers/gen-0001/fichiers/{pdf}/apercu"),
        Some(&cookie),
    )
    .await;
    assert_eq!(shown.header(header::CONTENT_TYPE), "application/pdf");
    assert!(
        shown
            .header(header::CONTENT_SECURITY_POLICY)
            .contains("frame-ancestors 'self'")
    );
    // A Word file is never shown inline.
    let word = get(&app, "/dossiers/gen-0001/fichiers/0/apercu", Some(&cookie)).await;
    assert_eq!(word.status, StatusCode::NOT_FOUND);
    assert!(word.header(header::CONTENT_TYPE).starts_with("text/html"));

    // Coming from a search, the way back keeps it.
    let from_search = get(
        &app,
        "/dossiers/gen-0001?retour=%2Frecherche%3Fq%3Dbois%26tri%3Dsubvention",
        Some(&cookie),
    )
    .await
    .text();
    assert!(from_search.contains(r#"href="/recherche?q=bois&amp;tri=subvention""#));
    let hostile = get(
        &app,
        "/dossiers/gen-0001?retour=%2F%2Fevil.example",
        Some(&cookie),
    )
    .await
    .text();
    assert!(!hostile.contains("evil.example"));
}

/// Issue 14, reviewers 5: the « ≠ Dossier » row, choosing fields, adding and removing a
/// dossier, and the way back to the search.
#[tokio::test]
async fn compare_counts_real_differences_and_lets_the_reviewer_shape_it() {
    let site = site();
    let app = dossiers_web::router(site.state.clone());
    let cookie = session(&app).await;
    let api = get(&app, "/api/compare?ids=gen-0001,gen-0004", Some(&cookie))
        .await
        .json();
    let real = api["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] != "dossier_id" && f["differs"] == true)
        .count();
    let page = get(&app, "/comparer?ids=gen-0001&ids=gen-0004", Some(&cookie))
        .await
        .text();
    assert!(!page.contains(r#"data-key="dossier_id""#), "no row of ids");
    assert!(
        page.contains(&format!(r#"<span id="ecarts">{real} champ"#)),
        "{real}"
    );
    assert_eq!(page.matches(r#"<tr class="differs""#).count(), real);

    // Chosen fields only; only the differing ones.
    let chosen = get(
        &app,
        "/comparer?ids=gen-0001&ids=gen-0004&champs=legal_model.form&champs=budget.subsidy_requested",
        Some(&cookie),
    )
    .await
    .text();
    let field_rows = chosen.matches("<tr data-key=").count()
        + chosen.matches(r#"<tr class="differs" data-key="#).count();
    assert_eq!(field_rows, 2, "two field rows");
    assert!(chosen.contains(r#"data-key="legal_model.form""#));
    let differing = get(
        &app,
        "/comparer?ids=gen-0001&ids=gen-0004&ecarts=1",
        Some(&cookie),
    )
    .await
    .text();
    assert_eq!(differing.matches(r#"<tr class="differs""#).count(), real);
    assert!(!differing.contains(r#"<tr data-key="#), "no equal row");

    // Add a third, then remove one: the links carry the view.
    let three = get(
        &app,
        "/comparer?ids=gen-0001&ids=gen-0004&ids=gen-0002&retour=%2Frecherche%3Fq%3Datelier",
        Some(&cookie),
    )
    .await
    .text();
    assert!(three.contains("Comparer 3 dossiers"));
    assert_eq!(three.matches(r#"class="remove""#).count(), 3);
    assert!(three.contains(
        r#"href="/comparer?ids=gen-0004&amp;ids=gen-0002&amp;retour=%2Frecherche%3Fq%3Datelier""#
    ));
    assert!(three.contains(r#"id="ajouter""#));
    assert!(
        three.contains(r#"href="/recherche?q=atelier""#),
        "the way back"
    );
    let two = get(&app, "/comparer?ids=gen-0001&ids=gen-0004", Some(&cookie))
        .await
        .text();
    assert!(!two.contains(r#"class="remove""#), "two is the fewest");

    // The search's compare form carries the search.
    let search = get(&app, "/recherche?q=atelier", Some(&cookie))
        .await
        .text();
    assert!(search.contains(r#"<input type="hidden" name="retour" value="/recherche?q=atelier">"#));
}
