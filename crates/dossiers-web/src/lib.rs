//! `dossiers serve`: the reviewers' web UI and its JSON API.
//!
//! Server-rendered French pages (maud), no JavaScript needed and no external asset, over the
//! same tantivy index the command line uses, reloaded after each commit of a running batch.
//! Every page and API call needs a session; accounts live in a file of argon2 hashes
//! ([`auth`]). Originals are served only as files of an indexed dossier, found through the
//! declared sources and checked against the BLAKE3 hash the record keeps ([`originals`]).
//!
//! Routes (pages in French, API in English like the CLI's JSON):
//!
//! | Route | What |
//! |---|---|
//! | `GET /connexion`, `POST /connexion` | login form, login |
//! | `GET /deconnexion`, `POST /deconnexion` | logout button, logout |
//! | `GET /recherche?q=&f=DIM:VALUE&page=` | search with facets, snippets, pages |
//! | `GET /dossiers/{id}` | one dossier's sheet |
//! | `GET /dossiers/{id}/fichiers/{n}` | the n-th original file of a dossier |
//! | `GET /dossiers/{id}/fichiers/{n}/apercu` | the same image or PDF, shown inside the dossier's page |
//! | `GET /comparer?ids=A&ids=B` · `GET /comparer.docx?ids=…` | side by side |
//! | `GET /statistiques?vague=N` · `GET /statistiques/{dim}.csv` · `.xlsx` | figures, charts |
//! | `GET /api/search` · `/api/dossiers/{id}` · `/api/dossiers/{id}/similar` · `/api/compare` · `/api/stats` | JSON |

mod api;
pub mod auth;
mod charts;
mod errors;
mod french;
pub mod hashing;
mod labels;
pub mod originals;
mod pages;
mod params;
pub mod throttle;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use dossiers_index::{DossierIndex, IndexError, Reload};

use crate::auth::{Accounts, Sessions};
use crate::hashing::PasswordPool;
use crate::originals::Originals;
use crate::throttle::Throttle;

/// The largest request body any route reads (only forms are posted, and only the login's).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What can go wrong serving.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: line {line}: {message}", path.display())]
    Accounts {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    BadInput(String),
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl WebError {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> WebError {
        WebError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// How the server is set up.
#[derive(Debug)]
pub struct ServeOptions {
    /// The index folder (the CLI's `--index`).
    pub index: PathBuf,
    /// The accounts file.
    pub accounts: PathBuf,
    /// Where the original files are (the sources the dossiers were ingested from).
    pub originals: Originals,
    /// Mark the session cookie `Secure` (behind a TLS proxy). A request that arrives with
    /// `X-Forwarded-Proto: https` gets it too.
    pub secure_cookies: bool,
}

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    pub index: DossierIndex,
    pub accounts_path: PathBuf,
    pub sessions: Sessions,
    /// Failed logins, by (name, address) and by name.
    pub throttle: Throttle,
    /// The argon2 workers every login goes through.
    pub passwords: PasswordPool,
    pub originals: Originals,
    pub secure_cookies: bool,
}

impl AppState {
    /// Opens the index (reloading after each commit) and checks the accounts file.
    pub fn open(options: ServeOptions) -> Result<AppState, WebError> {
        let index = DossierIndex::open_with(&options.index, Reload::OnCommit)?;
        Accounts::load(&options.accounts)?;
        Ok(AppState {
            index,
            accounts_path: options.accounts,
            sessions: Sessions::default(),
            throttle: Throttle::default(),
            passwords: PasswordPool::default(),
            originals: options.originals,
            secure_cookies: options.secure_cookies,
        })
    }
}

pub type Shared = Arc<AppState>;

/// Every route. Only the login form and its POST are reachable without a session.
pub fn router(state: Shared) -> Router {
    let protected = Router::new()
        .route("/", get(|| async { Redirect::to("/recherche") }))
        .route("/recherche", get(pages::search))
        .route("/dossiers/{id}", get(pages::dossier))
        .route("/dossiers/{id}/fichiers/{n}", get(pages::original))
        .route(
            "/dossiers/{id}/fichiers/{n}/apercu",
            get(pages::original_preview),
        )
        .route("/comparer", get(pages::compare))
        .route("/comparer.docx", get(pages::compare_docx))
        .route("/statistiques", get(pages::stats))
        .route("/statistiques/{file}", get(pages::stats_download))
        .route("/deconnexion", get(pages::logout_form).post(pages::logout))
        .route("/api/search", get(api::search))
        .route("/api/dossiers/{id}", get(api::dossier))
        .route("/api/dossiers/{id}/similar", get(api::similar))
        .route("/api/compare", get(api::compare))
        .route("/api/stats", get(api::stats))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_session,
        ));
    Router::new()
        .route("/connexion", get(pages::login_form).post(pages::login))
        .merge(protected)
        .fallback(errors::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            errors::in_french_or_json,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// The logged-in user, put in the request by the session middleware.
#[derive(Clone, Debug)]
pub struct User(pub String);

async fn require_session(
    State(state): State<Shared>,
    mut request: Request,
    next: Next,
) -> Response {
    let session =
        auth::session_token(request.headers()).and_then(|token| state.sessions.get(token));
    match session {
        Some(session) => {
            request.extensions_mut().insert(User(session.user));
            next.run(request).await
        }
        None if request.uri().path().starts_with("/api/") => (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"error": "authentication required"})),
        )
            .into_response(),
        None => {
            let next_page = request
                .uri()
                .path_and_query()
                .map_or("/recherche", |p| p.as_str());
            let target: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("suite", next_page)
                .finish();
            Redirect::to(&format!("/connexion?{target}")).into_response()
        }
    }
}

/// The content policy of every page: inline styles, images from this server, no script, no
/// plugin, no frame, forms to this server only.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";
/// The dossier's page, which shows its attached images and PDFs: [`CSP`] plus objects from
/// this server (Chromium's PDF viewer inside an `<object>` is a frame: `frame-src` too).
pub const CSP_WITH_PREVIEWS: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'";
/// An attached image or PDF shown inside the dossier's page: nothing of its own to load,
/// embeddable by this site only.
pub const CSP_PREVIEW: &str = "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/// Headers on every response: no framing, no sniffing, no referrer, a strict content policy
/// (inline styles only, no script at all), and the server time. A handler may set a content
/// policy and a framing rule of its own (the dossier page and its previews do); the others
/// cannot be changed.
async fn security_headers(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    let defaults = [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, CSP),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    let timing = format!("app;dur={:.2}", started.elapsed().as_secs_f64() * 1000.0);
    if let Ok(value) = HeaderValue::from_str(&timing) {
        headers.insert("server-timing", value);
    }
    response
}

/// Serves until Ctrl-C (or SIGTERM).
pub async fn serve(state: AppState, addr: SocketAddr) -> Result<(), WebError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| WebError::io(Path::new(&addr.to_string()), error))?;
    let local = listener
        .local_addr()
        .map_err(|error| WebError::io(Path::new(&addr.to_string()), error))?;
    tracing::info!(%local, index = %state.index.path().display(), "serving");
    eprintln!(
        "dossiers: serving {} on http://{local}/",
        state.index.path().display()
    );
    // The peer address keys the login throttle.
    let app = router(Arc::new(state)).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|error| WebError::io(Path::new(&local.to_string()), error))
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
