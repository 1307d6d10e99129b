//! The JSON API under `/api/`: the same searches, records, comparisons and figures as the pages
//! and the CLI's `--json` (documented in the README). Errors are `{"error": "…"}` with a 4xx/5xx
//! status.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dossiers_index::IndexError;
use dossiers_index::stats::WaveSelection;
use serde_json::json;

use crate::Shared;
use crate::pages::{blocking, search_request};
use crate::params::{self, PAGE_SIZE, SearchParams};

/// Most hits one API call returns.
const MAX_LIMIT: usize = 100;

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

fn index_error(error: &IndexError) -> Response {
    match error {
        IndexError::NotFound(_) => error_of(StatusCode::NOT_FOUND, error),
        IndexError::Query(_) | IndexError::UnknownField { .. } => {
            error_of(StatusCode::BAD_REQUEST, error)
        }
        other => {
            tracing::error!(error = %other, "index");
            error_of(StatusCode::INTERNAL_SERVER_ERROR, other)
        }
    }
}

fn error_of(status: StatusCode, error: &IndexError) -> Response {
    self::error(status, error.to_string())
}

fn json_of<T: serde::Serialize>(result: Result<T, IndexError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(error) => index_error(&error),
    }
}

/// `GET /api/search?q=&f=DIM:VALUE|filter=DIM=VALUE&wave=&page=&limit=&offset=`
pub async fn search(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let params = match SearchParams::parse(&pairs) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let mut request = search_request(&params);
    let number = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.parse::<usize>())
    };
    match number("limit") {
        Some(Ok(limit)) if (1..=MAX_LIMIT).contains(&limit) => request.limit = limit,
        Some(_) => return error(StatusCode::BAD_REQUEST, format!("limit: 1 to {MAX_LIMIT}")),
        None => request.limit = PAGE_SIZE,
    }
    match number("offset") {
        Some(Ok(offset)) if offset <= 10_000 => request.offset = offset,
        Some(_) => return error(StatusCode::BAD_REQUEST, "offset: 0 to 10000"),
        None => {}
    }
    json_of(blocking(&state, move |state| state.index.search(&request)).await)
}

/// `GET /api/dossiers/{id}`: the stored record.
pub async fn dossier(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    json_of(blocking(&state, move |state| state.index.get(&id)).await)
}

/// `GET /api/dossiers/{id}/similar?limit=`
pub async fn similar(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let limit = match pairs
        .iter()
        .find(|(k, _)| k == "limit")
        .map(|(_, v)| v.parse::<usize>())
    {
        Some(Ok(limit)) if (1..=MAX_LIMIT).contains(&limit) => limit,
        Some(_) => return error(StatusCode::BAD_REQUEST, format!("limit: 1 to {MAX_LIMIT}")),
        None => 5,
    };
    json_of(blocking(&state, move |state| state.index.similar(&id, limit)).await)
}

/// `GET /api/compare?ids=A&ids=B` (or `ids=A,B`), two to five dossiers.
pub async fn compare(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    match params::compared_ids(&params::pairs(raw.as_deref())) {
        Ok(ids) => json_of(blocking(&state, move |state| state.index.compare(&ids)).await),
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

/// `GET /api/stats?by=DIM&wave=N|all|side_by_side`; without `by`, the page's whole set of
/// figures (every charted dimension, flags, budget and subsidy distributions).
pub async fn stats(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let selection = match params::wave_selection(&pairs) {
        Ok(selection) => selection,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if pairs.iter().any(|(k, _)| k == "by") {
        let by = match params::stats_dimension(&pairs) {
            Ok(by) => by,
            Err(message) => return error(StatusCode::BAD_REQUEST, message),
        };
        return json_of(blocking(&state, move |state| state.index.stats(by, selection)).await);
    }
    let selection = match selection {
        WaveSelection::SideBySide => WaveSelection::Pooled,
        other => other,
    };
    let figures = blocking(&state, move |state| {
        let page = crate::pages::gather_stats(state, selection)?;
        Ok(json!({
            "wave": match page.selection { WaveSelection::One(wave) => json!(wave), _ => json!(null) },
            "by_wave": page.waves,
            "reports": page.reports,
            "reports_side_by_side": page.side_by_side,
            "flags": page.flags,
            "budget_distribution": page.budget,
            "subsidy_distribution": page.subsidy,
        }))
    })
    .await;
    json_of(figures)
}
