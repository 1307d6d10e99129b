//! Every error answer in the form its caller reads: a French page, or `{"error": "…"}` under
//! `/api/`.
//!
//! The handlers write their own errors, but some answers are made by the framework before any
//! handler runs: an unknown path, a method a route does not take (405, empty), a path or query
//! that does not decode (`/dossiers/%ff`, English plain text), a body over the limit (413).
//! Rather than chase each one, a middleware rewrites every error response that is neither a
//! page nor JSON, so a new route or extractor cannot bring an English or empty error back.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::{Shared, User, auth, pages};

/// Characters of a framework message kept in an API error.
const MAX_DETAIL_CHARS: usize = 200;

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The fallback: no such route.
pub async fn not_found(request: Request) -> Response {
    if is_api(request.uri().path()) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such API call"})),
        )
            .into_response();
    }
    not_found_page()
}

/// The French « page introuvable ».
pub fn not_found_page() -> Response {
    pages::message_page(
        StatusCode::NOT_FOUND,
        None,
        "Page introuvable",
        "Cette adresse ne correspond à aucune page.",
    )
}

/// What a reviewer reads for an error status the framework produced.
fn french(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => (
            "Adresse incomprise",
            "Un élément de l'adresse ou du formulaire n'a pas la forme attendue.",
        ),
        StatusCode::NOT_FOUND => (
            "Page introuvable",
            "Cette adresse ne correspond à aucune page.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Action impossible ici",
            "Cette adresse ne s'utilise pas ainsi ; revenez à la recherche.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Envoi trop volumineux",
            "Le formulaire envoyé dépasse la taille permise.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => (
            "Formulaire incompris",
            "Le formulaire envoyé n'a pas la forme attendue.",
        ),
        status if status.is_server_error() => (
            "Erreur",
            "Le serveur n'a pas pu répondre ; réessayez dans un instant.",
        ),
        _ => ("Requête refusée", "Cette requête ne peut pas aboutir."),
    }
}

fn is_page_or_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.starts_with("text/html") || value.starts_with("application/json")
        })
}

/// Rewrites the framework's error answers (see the module documentation). Headers that say
/// something (`Allow` on a 405, `Retry-After`) are kept.
pub async fn in_french_or_json(
    State(state): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let api = is_api(request.uri().path());
    let token = auth::session_token(request.headers()).map(str::to_owned);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_page_or_json(&response) {
        return response;
    }
    // Only an error page needs to know who is there (for its header).
    let user = token
        .and_then(|token| state.sessions.get(&token))
        .map(|session| User(session.user));
    let (parts, body) = response.into_parts();
    let mut rewritten = if api {
        // The framework's own words (English, like the API) say what was wrong.
        let detail = match axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => String::new(),
        };
        let detail: String = detail.trim().chars().take(MAX_DETAIL_CHARS).collect();
        let message = if detail.is_empty() {
            status.canonical_reason().unwrap_or("error").to_lowercase()
        } else {
            detail
        };
        (status, Json(json!({"error": message}))).into_response()
    } else {
        drop(body);
        let (title, message) = french(status);
        pages::message_page(status, user.as_ref(), title, message)
    };
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            rewritten.headers_mut().insert(name, value.clone());
        }
    }
    rewritten
}

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;

    #[test]
    fn every_error_status_has_french_words() {
        for code in 400..600u16 {
            let status = StatusCode::from_u16(code).unwrap();
            let (title, message) = french(status);
            assert!(!title.is_empty() && !message.is_empty(), "{code}");
        }
        assert!(is_api("/api/nope"));
        assert!(!is_api("/apiculture"));
    }

    #[test]
    fn framework_bodies_are_not_pages() {
        let plain = (StatusCode::BAD_REQUEST, "Invalid URL").into_response();
        assert!(!is_page_or_json(&plain));
        let empty = Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .body(Body::empty())
            .unwrap();
        assert!(!is_page_or_json(&empty));
    }
}
