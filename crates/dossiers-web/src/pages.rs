//! The HTML pages, in French: login, search, dossier, compare, statistics.

use std::sync::Arc;
use std::time::Instant;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dossiers_index::compare::{Comparison, section_label_fr};
use dossiers_index::flat::{self, FIELDS, FlatValue};
use dossiers_index::search::{Hit, SearchRequest, SearchResults, SortKey};
use dossiers_index::stats::{RangeCount, StatsReport, WaveSelection};
use dossiers_index::{Dimension, IndexError, Number};
use dossiers_model::Record;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::charts::{self, Bar};
use crate::originals::Unavailable;
use crate::params::{self, PAGE_SIZE, SearchParams};
use crate::{AppState, Shared, User, auth, french, labels};

const STYLE: &str = include_str!("style.css");

/// Which tab of the header is lit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    None,
    Search,
    Stats,
}

fn layout(title: &str, user: Option<&User>, tab: Tab, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Manufactures de proximité" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.top {
                    a.brand href="/recherche" { "Manufactures de proximité · dossiers" }
                    @if let Some(User(name)) = user {
                        nav {
                            a href="/recherche" aria-current=[(tab == Tab::Search).then_some("page")] { "Recherche" }
                            a href="/statistiques" aria-current=[(tab == Tab::Stats).then_some("page")] { "Statistiques" }
                        }
                        form.logout method="post" action="/deconnexion" {
                            span.user { (name) }
                            button type="submit" { "Se déconnecter" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

pub(crate) fn message_page(
    status: StatusCode,
    user: Option<&User>,
    title: &str,
    message: &str,
) -> Response {
    page(
        status,
        layout(
            title,
            user,
            Tab::None,
            html! { h1 { (title) } p.message { (message) } p { a href="/recherche" { "Retour à la recherche" } } },
        ),
    )
}

/// Runs index work off the async threads.
pub(crate) async fn blocking<T, F>(state: &Shared, work: F) -> Result<T, IndexError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, IndexError> + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|error| IndexError::Report(format!("worker thread: {error}")))?
}

fn index_error_page(user: &User, error: &IndexError) -> Response {
    match error {
        IndexError::NotFound(id) => message_page(
            StatusCode::NOT_FOUND,
            Some(user),
            "Dossier introuvable",
            &format!("Aucun dossier « {id} » dans l'index."),
        ),
        IndexError::Query(query) => message_page(
            StatusCode::BAD_REQUEST,
            Some(user),
            "Requête incomprise",
            &query.to_string(),
        ),
        other => {
            tracing::error!(error = %other, "index");
            message_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                Some(user),
                "Erreur",
                "L'index n'a pas pu répondre ; réessayez dans un instant.",
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Login and logout.

pub async fn login_form(RawQuery(raw): RawQuery) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let next = pairs
        .iter()
        .find(|(k, _)| k == "suite")
        .map_or("/recherche", |(_, v)| v.as_str());
    page(StatusCode::OK, login_markup(safe_next(next), None))
}

fn login_markup(next: &str, error: Option<&str>) -> Markup {
    layout(
        "Connexion",
        None,
        Tab::None,
        html! {
            section.login {
                h1 { "Connexion" }
                p { "Les dossiers contiennent des données personnelles : connectez-vous avec le compte qui vous a été remis." }
                @if let Some(error) = error {
                    p.error role="alert" { (error) }
                }
                form method="post" action="/connexion" {
                    input type="hidden" name="suite" value=(next);
                    label for="utilisateur" { "Identifiant" }
                    input #utilisateur type="text" name="utilisateur" autocomplete="username" required autofocus;
                    label for="mot_de_passe" { "Mot de passe" }
                    input #mot_de_passe type="password" name="mot_de_passe" autocomplete="current-password" required;
                    button #connexion type="submit" { "Se connecter" }
                }
            }
        },
    )
}

/// Where a login may send the browser: a path of this site, checked as a parsed relative
/// reference, or the search page. Refused: anything that is not a path from the root (a scheme,
/// `//host`), a backslash (`/\\host` is `//host` to a browser), any control character or space
/// (`/\t/host` is `//host` once a browser drops the tab, and a newline cannot go in a header),
/// anything that is not ASCII (the login's `suite` is a URI the server itself encoded) or that
/// does not parse as a URI path and query. The same holds once percent escapes are decoded
/// (`/%09/host`, `/%5Chost`), so that no later decoding can turn the path into another host.
pub(crate) fn safe_next(next: &str) -> &str {
    const DEFAULT: &str = "/recherche";
    const MAX_CHARS: usize = 2_048;
    let decoded = percent_decoded(next);
    let plain = next.len() <= MAX_CHARS
        && next.is_ascii()
        && ![next.as_bytes(), &decoded].iter().any(|bytes| {
            bytes
                .iter()
                .any(|&b| b.is_ascii_control() || b == b' ' || b == b'\\')
        });
    let from_root = |bytes: &[u8]| bytes.first() == Some(&b'/') && bytes.get(1) != Some(&b'/');
    let from_root = from_root(next.as_bytes()) && from_root(&decoded);
    let parses = next
        .parse::<axum::http::uri::PathAndQuery>()
        .is_ok_and(|parsed| parsed.as_str() == next);
    if plain && from_root && parses {
        next
    } else {
        DEFAULT
    }
}

/// The bytes of `text` with its `%XX` escapes decoded (a malformed escape is kept as it is).
fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|h| (*h as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The login form, read by hand from a body of at most [`MAX_LOGIN_BYTES`]: each field is
/// checked before it is kept, and only the first of each name counts.
#[derive(Debug, Default)]
struct LoginForm {
    /// The name when it can be an account name; `None` when it cannot (too long, bad
    /// characters), with what may be logged of it in `shown_name`.
    name: Option<String>,
    shown_name: String,
    password: Option<String>,
    suite: String,
}

/// The largest login form read (a name, a password, a path to return to, and their keys).
const MAX_LOGIN_BYTES: usize = 4 * 1024;

impl LoginForm {
    fn parse(body: &[u8]) -> LoginForm {
        let mut form = LoginForm::default();
        let (mut seen_name, mut seen_password, mut seen_suite) = (false, false, false);
        for (key, value) in form_urlencoded::parse(body) {
            match key.as_ref() {
                "utilisateur" if !seen_name => {
                    seen_name = true;
                    form.shown_name = auth::loggable_name(&value);
                    form.name = auth::valid_name(&value).then(|| value.into_owned());
                }
                "mot_de_passe" if !seen_password => {
                    seen_password = true;
                    form.password = (!value.is_empty() && value.len() <= auth::MAX_PASSWORD_BYTES)
                        .then(|| value.into_owned());
                }
                "suite" if !seen_suite => {
                    seen_suite = true;
                    form.suite = safe_next(&value).to_owned();
                }
                _ => {}
            }
        }
        if form.suite.is_empty() {
            form.suite = safe_next("").to_owned();
        }
        form
    }
}

fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// `POST /connexion`. In order: the body is read up to [`MAX_LOGIN_BYTES`] (413 beyond), a
/// name that cannot be an account is refused without hashing, a (name, address) that failed
/// too often waits ([`crate::throttle`], 429 with `Retry-After`), and the password is checked
/// by the bounded argon2 pool ([`crate::hashing`], 503 when it is saturated).
pub async fn login(State(state): State<Shared>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0);
    let client = crate::throttle::client_address(peer, &parts.headers);
    let Ok(body) = axum::body::to_bytes(body, MAX_LOGIN_BYTES).await else {
        tracing::warn!(%client, "login refused: form too large");
        return page(
            StatusCode::PAYLOAD_TOO_LARGE,
            login_markup(safe_next(""), Some("Formulaire trop volumineux.")),
        );
    };
    let form = LoginForm::parse(&body);
    let next = form.suite.clone();
    let wrong = || {
        page(
            StatusCode::UNAUTHORIZED,
            login_markup(&next, Some("Identifiant ou mot de passe incorrect.")),
        )
    };
    let (Some(name), Some(password)) = (form.name, form.password) else {
        tracing::warn!(user = %form.shown_name, %client, "failed login: not an account name or no password");
        return wrong();
    };
    if let Some(wait) = state.throttle.wait(&name, client, Instant::now()) {
        let seconds = wait.as_secs().max(1);
        tracing::warn!(user = %name, %client, seconds, "login refused: too many failures");
        let mut response = page(
            StatusCode::TOO_MANY_REQUESTS,
            login_markup(
                &next,
                Some(&format!(
                    "Trop d'essais infructueux pour ce compte depuis cette adresse : réessayez dans {}.",
                    french::duration(seconds)
                )),
            ),
        );
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let verdict = state
        .passwords
        .verify(client, state.accounts_path.clone(), name.clone(), password)
        .await;
    match verdict {
        Ok(Ok(true)) => match state.sessions.open(&name) {
            Ok(token) => {
                state.throttle.succeeded(&name, client);
                tracing::info!(user = %name, %client, "login");
                let cookie = auth::session_cookie(&token, secure(&state, &parts.headers));
                let mut response = Redirect::to(&next).into_response();
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
                response
            }
            Err(error) => {
                tracing::error!(%error, "opening a session");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    login_markup(&next, Some("Connexion impossible pour le moment.")),
                )
            }
        },
        Ok(Ok(false)) => {
            state.throttle.failed(&name, client, Instant::now());
            tracing::warn!(user = %name, %client, "failed login");
            wrong()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "reading the accounts file");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                login_markup(&next, Some("Le fichier des comptes est illisible.")),
            )
        }
        Err(crate::hashing::Busy::ClientBusy) => {
            tracing::warn!(user = %name, %client, "login refused: checks already running for this address");
            let mut response = page(
                StatusCode::TOO_MANY_REQUESTS,
                login_markup(
                    &next,
                    Some(
                        "Des connexions sont déjà en cours depuis cette adresse : réessayez dans un instant.",
                    ),
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Err(busy) => {
            tracing::warn!(user = %name, %client, ?busy, "login refused: password checks saturated");
            let mut response = page(
                StatusCode::SERVICE_UNAVAILABLE,
                login_markup(
                    &next,
                    Some("Trop de connexions en même temps : réessayez dans quelques secondes."),
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

/// `GET /deconnexion`: a button, since leaving must be a POST (a link or an image must not
/// log a reviewer out).
pub async fn logout_form(Extension(user): Extension<User>) -> Response {
    page(
        StatusCode::OK,
        layout(
            "Déconnexion",
            Some(&user),
            Tab::None,
            html! {
                h1 { "Déconnexion" }
                form method="post" action="/deconnexion" {
                    button #deconnexion type="submit" { "Se déconnecter" }
                }
                p { a href="/recherche" { "Retour à la recherche" } }
            },
        ),
    )
}

pub async fn logout(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(token) = auth::session_token(&headers) {
        state.sessions.close(token);
    }
    let mut response = Redirect::to("/connexion").into_response();
    if let Ok(value) = HeaderValue::from_str(&auth::cleared_cookie(secure(&state, &headers))) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Search.

pub(crate) fn search_request(params: &SearchParams) -> SearchRequest {
    let mut request = SearchRequest::new(params.query.clone());
    request.filters = params.filters.clone();
    request.limit = PAGE_SIZE;
    request.offset = (params.page - 1) * PAGE_SIZE;
    request.sort = params.sort;
    request.descending = params.descending;
    request
}

pub async fn search(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    RawQuery(raw): RawQuery,
) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let params = match SearchParams::parse(&pairs) {
        Ok(params) => params,
        Err(message) => {
            return message_page(StatusCode::BAD_REQUEST, Some(&user), "Recherche", &message);
        }
    };
    let request = search_request(&params);
    match blocking(&state, move |state| state.index.search(&request)).await {
        // A page past the last (a bookmark, a result that shrank since): the last page.
        Ok(results) if results.hits.is_empty() && results.total > 0 && params.page > 1 => {
            Redirect::to(&params.href_page(results.total.div_ceil(PAGE_SIZE))).into_response()
        }
        Ok(results) => page(
            StatusCode::OK,
            search_page(&user, &params, Some(&results), None),
        ),
        Err(IndexError::Query(error)) => page(
            StatusCode::BAD_REQUEST,
            search_page(&user, &params, None, Some(&error.to_string())),
        ),
        Err(error) => index_error_page(&user, &error),
    }
}

fn hit_title(hit: &Hit) -> String {
    let names: Vec<&str> = [
        hit.structure_name.as_deref(),
        hit.manufacture_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if names.is_empty() {
        hit.dossier_id.clone()
    } else {
        names.join(" — ")
    }
}

fn search_page(
    user: &User,
    params: &SearchParams,
    results: Option<&SearchResults>,
    error: Option<&str>,
) -> Markup {
    let body = html! {
        h1 { "Recherche" }
        form #recherche .search method="get" action="/recherche" role="search" {
            label for="q" { "Rechercher dans les dossiers" }
            div.row {
                input #q type="search" name="q" value=(params.query)
                    placeholder="bail emphytéotique, foncier:\"friche\", forme:scic, subvention:>200000";
                @for (dimension, value) in &params.filters {
                    input type="hidden" name="f" value=(format!("{}:{value}", dimension.name()));
                }
                button type="submit" { "Rechercher" }
            }
            div.row.sort {
                label for="tri" { "Trier par" }
                select #tri name="tri" {
                    @for key in SortKey::ALL {
                        option value=(params::sort_name_fr(key)) selected[key == params.sort] { (sort_label(key)) }
                    }
                }
                label for="ordre" { "Ordre" }
                select #ordre name="ordre" {
                    option value="" selected[params.descending.is_none()] { "par défaut" }
                    option value="croissant" selected[params.descending == Some(false)] { "croissant" }
                    option value="decroissant" selected[params.descending == Some(true)] { "décroissant" }
                }
                button type="submit" { "Trier" }
            }
            p.help { "Langage de requête : mots (tous requis, AND facultatif), \"phrases\", a OR b, (groupes entre parenthèses), -exclusion, section:mot (foncier, diagnostic, activites…), champ:valeur (forme, foncier, vague, region…), nombres (subvention:>100000). Sans mot, les dossiers sont listés par numéro." }
        }
        @if let Some(error) = error {
            p.error role="alert" { "Requête incomprise : " (error) }
        }
        @if !params.filters.is_empty() {
            ul.chips aria-label="Filtres actifs" {
                @for (dimension, value) in &params.filters {
                    li { a href=(params.href_with(&params.toggled(*dimension, value))) title="Retirer ce filtre" {
                        (dimension.label_fr()) " : " (value_label(*dimension, value)) " ×"
                    } }
                }
            }
        }
        @if let Some(results) = results {
            div.results {
                aside.facets aria-label="Filtres" {
                    @for dimension in Dimension::ALL {
                        @if let Some(counts) = results.facets.get(dimension.name()).filter(|c| !c.is_empty()) {
                            section.facet data-dimension=(dimension.name()) {
                                h2 { (dimension.label_fr()) }
                                ul {
                                    @for count in counts {
                                        @let active = params.filters.contains(&(dimension, count.value.clone()));
                                        li { a.active[active] href=(params.href_with(&params.toggled(dimension, &count.value)))
                                            data-value=(count.value) {
                                            (value_label(dimension, &count.value)) " " span.count { "(" (count.count) ")" }
                                        } }
                                    }
                                }
                            }
                        }
                    }
                }
                section.hits {
                    @let back = params.href();
                    p #total { (results.total) " dossier" @if results.total != 1 { "s" }
                        @if params.sort != SortKey::Relevance || !params.query.is_empty() {
                            span.meta { " · triés par " (sort_label(effective_sort(params)).to_lowercase()) }
                        } @else {
                            span.meta { " · par numéro" }
                        }
                    }
                    form #comparer method="get" action="/comparer" {
                        input type="hidden" name="retour" value=(back);
                        div.hit-head aria-hidden="true" {
                            span {} span { "Dossier" }
                            span.num { "Budget" } span.num { "Subvention" } span.num { "Part" } span.num { "Alertes" }
                        }
                        ol.hits start=((params.page - 1) * PAGE_SIZE + 1) {
                            @for hit in &results.hits {
                                li.hit data-id=(hit.dossier_id) {
                                    label.select title="Sélectionner pour comparer" {
                                        input type="checkbox" name="ids" value=(hit.dossier_id);
                                    }
                                    div.hit-main {
                                        a.title href=(dossier_href(&hit.dossier_id, Some(&back))) { (hit_title(hit)) }
                                        p.meta {
                                            (hit.dossier_id)
                                            @if let Some(number) = hit.ds_number { " · n° " (number) }
                                            @if let Some(wave) = hit.wave { " · vague " (wave) }
                                            @if let Some(at) = &hit.deposited_at { " · déposé le " (french::date_time(at)) }
                                            @if let Some(commune) = &hit.commune { " · " (commune) }
                                            " · " (labels::value(Dimension::LegalForm, &hit.legal_form))
                                            " · " (labels::value(Dimension::LandControl, &hit.land_control))
                                        }
                                        @for snippet in &hit.snippets {
                                            p.snippet {
                                                span.section { (snippet.title) " : " }
                                                // The index escapes the fragment and adds only <b>.
                                                "…" (PreEscaped(&snippet.html)) "…"
                                            }
                                        }
                                    }
                                    dl.figures {
                                        div { dt { "Budget" } dd.budget { (amount_or_dash(hit.budget_total)) } }
                                        div { dt { "Subvention" } dd.subsidy { (amount_or_dash(hit.subsidy_requested)) } }
                                        div { dt { "Part" } dd.share { (hit.subsidy_share.map_or_else(|| "—".to_owned(), french::percent)) } }
                                        div { dt { "Alertes" } dd.alerts title=(hit.flags.iter().map(|f| labels::code("flag", f)).collect::<Vec<_>>().join(", ")) {
                                            @if hit.flags.is_empty() { span.ok { "0" } } @else { span.warn { (hit.flags.len()) } }
                                        } }
                                    }
                                }
                            }
                        }
                        @if results.hits.len() > 1 {
                            button #comparer-selection type="submit" { "Comparer la sélection (2 à 5)" }
                        }
                    }
                    (pagination(params, results.total))
                }
            }
        }
    };
    layout("Recherche", Some(user), Tab::Search, body)
}

/// The order the list is in: a search without words is in number order whatever « pertinence »
/// says.
fn effective_sort(params: &SearchParams) -> SortKey {
    let has_words = dossiers_index::query::parse(&params.query).is_ok_and(|q| q.scores());
    match params.sort {
        SortKey::Relevance if !has_words => SortKey::Number,
        key => key,
    }
}

fn sort_label(key: SortKey) -> &'static str {
    match key {
        SortKey::Relevance => "Pertinence",
        SortKey::Number => "Numéro",
        SortKey::Deposited => "Date de dépôt",
        SortKey::Budget => "Budget",
        SortKey::Subsidy => "Subvention",
        SortKey::Share => "Part de subvention",
    }
}

fn amount_or_dash(amount: Option<f64>) -> String {
    amount.map_or_else(|| "—".to_owned(), french::euros)
}

/// `text` as one segment of a URL path (a space is `%20` there, not `+`).
fn path_segment(text: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    encoded.replace('+', "%20")
}

/// A dossier's page, with the search to go back to.
fn dossier_href(id: &str, back: Option<&str>) -> String {
    let id = path_segment(id);
    match back {
        Some(back) => {
            let back: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
            format!("/dossiers/{id}?retour={back}")
        }
        None => format!("/dossiers/{id}"),
    }
}

/// A dimension's value as a reviewer reads it; `none` (no value at all: no sector, no
/// programme, no flag) in words rather than as the code.
fn value_label(dimension: Dimension, code: &str) -> String {
    match (dimension, code) {
        (Dimension::Flag, "none") => "Aucune alerte".to_owned(),
        (Dimension::Programme, "none") => "Aucun programme".to_owned(),
        (Dimension::Sector, "none") => "Non précisée".to_owned(),
        (_, "none") => "Non précisé".to_owned(),
        _ => labels::value(dimension, code),
    }
}

fn pagination(params: &SearchParams, total: usize) -> Markup {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    html! {
        @if pages > 1 {
            nav.pages aria-label="Pages" {
                @if params.page > 1 {
                    a rel="prev" href=(params.href_page(params.page - 1)) { "← Précédente" }
                }
                span { "Page " (params.page) " sur " (pages) }
                @if params.page < pages {
                    a rel="next" href=(params.href_page(params.page + 1)) { "Suivante →" }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One dossier.

pub async fn dossier(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let back = params::back_to_search(&params::pairs(raw.as_deref()));
    let lookup = id.clone();
    let found = blocking(&state, move |state| {
        let record = state.index.get(&lookup)?;
        // Similar dossiers are a help, not the page: an error there leaves the list empty.
        let similar = state.index.similar(&lookup, 5).unwrap_or_default();
        Ok((record, similar))
    })
    .await;
    match found {
        Ok((record, similar)) => {
            tracing::info!(user = %user.0, dossier = %id, "dossier read");
            let mut response = page(
                StatusCode::OK,
                dossier_page(&user, &record, &similar, back.as_deref()),
            );
            // The sheet shows attached images and PDFs from this server, and nothing else.
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(crate::CSP_WITH_PREVIEWS),
            );
            response
        }
        Err(error) => index_error_page(&user, &error),
    }
}

/// The groups of the sheet: a title and the prefix of the flat fields it shows.
const GROUPS: &[(&str, &str)] = &[
    ("Identité", "applicant."),
    ("Modèle juridique", "legal_model."),
    ("Maîtrise foncière", "land_control."),
    ("Diagnostic territorial", "territorial_diagnosis."),
    ("Activités", "activities."),
    ("Budget", "budget."),
];

/// A flat value as displayed (`FlatValue::display`, lists joined by `, `) with its codes in
/// French: `emphyteotic_lease` → « Bail emphytéotique », region `44` → « Grand Est ».
fn relabel(key: &str, displayed: &str) -> String {
    let label: fn(&str) -> String = match key {
        "legal_model.form" | "legal_model.planned_form" => |c| labels::code("legal_form", c),
        "land_control.status" => |c| labels::code("land_control", c),
        "territorial_diagnosis.programmes" => |c| labels::code("programme", c),
        "activities.sectors" => |c| labels::code("sector", c),
        "flags" => |c| labels::code("flag", c),
        "applicant.region" => |c| labels::value(Dimension::Region, c),
        "applicant.department" => |c| labels::value(Dimension::Department, c),
        "deposited_at" => return french::date_time(displayed),
        _ => return displayed.to_owned(),
    };
    if displayed == FlatValue::Null.display() {
        return displayed.to_owned();
    }
    displayed
        .split(", ")
        .map(label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the values of one group of the sheet were read, folded away: a reviewer opens it
/// to check a value, and the values stay readable without it.
fn sources(record: &Record, keys: &[(&str, &str)]) -> Markup {
    let found: Vec<(&str, &dossiers_model::Provenance)> = keys
        .iter()
        .filter_map(|(key, label)| Some((*label, record.provenance.get(*key)?)))
        .collect();
    html! {
        @if !found.is_empty() {
            details.sources {
                summary { "Sources (" (found.len()) ")" }
                dl.sources {
                    @for (label, provenance) in &found {
                        dt { (label) }
                        dd { span.file { (provenance.file) } " · " span.at { (provenance.at) } }
                    }
                }
            }
        }
    }
}

/// Why a file gave no text, in French, from the reader's error (« unsupported format: rtf »,
/// « encrypted: … », « corrupt: … »); a message already in French is kept.
fn unread_reason(error: &str) -> String {
    let (kind, detail) = error.split_once(':').unwrap_or((error, ""));
    let detail = detail.trim();
    match kind.trim() {
        "unsupported format" => format!("format « {detail} » non pris en charge"),
        "encrypted" => "fichier protégé par un mot de passe".to_owned(),
        "corrupt" => format!("fichier endommagé ({detail})"),
        "too large" => "fichier trop volumineux pour être lu en entier".to_owned(),
        "io" => "fichier illisible sur le disque".to_owned(),
        _ => error.to_owned(),
    }
}

/// The type an attached file is shown inline with, from its bytes: raster images and PDF only
/// (an SVG or HTML file could carry a script).
fn preview_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

fn dossier_page(user: &User, record: &Record, similar: &[Hit], back: Option<&str>) -> Markup {
    let applicant = &record.applicant;
    let title = applicant
        .manufacture_name
        .clone()
        .or_else(|| applicant.structure_name.clone())
        .unwrap_or_else(|| record.dossier_id.clone());
    let back_href = back.unwrap_or("/recherche");
    let body = html! {
        p.crumbs { a #retour href=(back_href) { @if back.is_some() { "← Retour aux résultats" } @else { "Recherche" } } " › " (record.dossier_id) }
        h1 #titre { (title) }
        p.meta {
            @if let Some(name) = &applicant.structure_name { (name) " · " }
            "dossier " (record.dossier_id)
            @if let Some(n) = record.ds_number { " · n° DS " (n) }
            @if let Some(wave) = record.wave { " · vague " (wave) }
            @if let Some(at) = &record.deposited_at { " · déposé le " span #depot { (french::date_time(at)) } }
        }
        section #alertes {
            @if record.flags.is_empty() {
                p.ok { "Aucune alerte." }
            } @else {
                h2 { "Alertes (" (record.flags.len()) ")" }
                ul.flags {
                    @for flag in &record.flags {
                        li.flag data-code=(flag.code.code()) {
                            strong { (labels::code("flag", flag.code.code())) } " — " (flag.message)
                            @if !flag.provenance.is_empty() {
                                details.sources {
                                    summary { "Sources (" (flag.provenance.len()) ")" }
                                    dl.sources {
                                        @for (field, provenance) in &flag.provenance {
                                            dt { (field) }
                                            dd { span.file { (provenance.file) } " · " span.at { (provenance.at) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div.sheet {
            @for (title, prefix) in GROUPS {
                @let fields: Vec<_> = FIELDS.iter().filter(|f| f.key.starts_with(prefix)).collect();
                section.group {
                    h2 { (title) }
                    dl.values {
                        @for field in &fields {
                            dt { (field.label_fr) }
                            dd data-key=(field.key) { (relabel(field.key, &flat::value(record, field.key).display())) }
                        }
                    }
                    @if *prefix == "territorial_diagnosis." {
                        @if let Some(text) = &record.territorial_diagnosis.text {
                            blockquote.text { (flat::first_lines(text, 6, 900)) }
                        }
                    }
                    @if *prefix == "budget." && !record.budget.years.is_empty() {
                        table.budget {
                            caption { "Budget par année" }
                            thead { tr { th scope="col" { "Année" } th scope="col" { "Dépenses" } th scope="col" { "Recettes" } } }
                            tbody {
                                @for year in &record.budget.years {
                                    tr {
                                        th scope="row" { (year.year) }
                                        td.num { (french::euros(year.expenses)) }
                                        td.num { (french::euros(year.revenues)) }
                                    }
                                }
                            }
                        }
                    }
                    @let years = (*prefix == "budget.").then_some(("budget.years", "Budget par année"));
                    @let keys: Vec<(&str, &str)> = fields.iter().map(|f| (f.key, f.label_fr)).chain(years).collect();
                    (sources(record, &keys))
                }
            }
        }
        section #fichiers {
            h2 { "Fichiers déposés" }
            ul.files {
                @for (n, file) in record.files.iter().enumerate() {
                    @let href = format!("/dossiers/{}/fichiers/{n}", record.dossier_id);
                    li data-format=(format_name(file.format)) {
                        @if file.blake3.is_some() {
                            a href=(href) download { (file.path) }
                        } @else {
                            (file.path)
                        }
                        " · " (file_role(file)) " · " (format_name(file.format)) " · " (flat::group_thousands(file.bytes as f64)) " octets"
                        @if let Some(error) = &file.error {
                            p.unread { "Texte non extrait : " (unread_reason(error)) "." }
                        } @else if matches!(file.format, dossiers_model::FileFormat::Image) {
                            p.unread { "Texte non extrait : une image n'a pas de texte à lire." }
                        }
                        @if let Some(note) = &file.note { p.note { (note) } }
                        @if file.blake3.is_some() {
                            @match file.format {
                                dossiers_model::FileFormat::Image => {
                                    figure.preview {
                                        img src=(format!("{href}/apercu")) alt=(format!("Aperçu de {}", file.path)) loading="lazy";
                                    }
                                }
                                dossiers_model::FileFormat::Pdf => {
                                    details.preview {
                                        summary { "Afficher le PDF ici" }
                                        object data=(format!("{href}/apercu")) type="application/pdf" {
                                            p { "Ce navigateur n'affiche pas le PDF dans la page : " a href=(href) download { "le télécharger" } "." }
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
        section #sections {
            h2 { "Texte du dossier, section par section" }
            @for section in &record.sections {
                details.section {
                    summary { (section.title) " " span.topic { "(" (section_label_fr(section.topic)) ")" } }
                    div.text { (section.text) }
                    p.source { (section.at) }
                }
            }
        }
        section #similaires {
            h2 { "Dossiers similaires" }
            @if similar.is_empty() {
                p { "Aucun dossier proche." }
            } @else {
                ul {
                    @for hit in similar {
                        li {
                            a href=(dossier_href(&hit.dossier_id, back)) { (hit_title(hit)) }
                            " · " (hit.dossier_id) " · "
                            a href=(compare_href(&[record.dossier_id.clone(), hit.dossier_id.clone()], back)) { "comparer" }
                        }
                    }
                }
            }
        }
    };
    layout(&title, Some(user), Tab::None, body)
}

fn file_role(file: &dossiers_model::FileEntry) -> &'static str {
    use dossiers_model::FileRole;
    match file.role {
        FileRole::Application => "dossier de candidature",
        FileRole::Budget => "matrice budgétaire",
        FileRole::Other => "autre pièce",
    }
}

fn format_name(format: dossiers_model::FileFormat) -> &'static str {
    use dossiers_model::FileFormat;
    match format {
        FileFormat::Doc => ".doc",
        FileFormat::Docx => ".docx",
        FileFormat::Odt => ".odt",
        FileFormat::Pdf => "PDF",
        FileFormat::Xls => ".xls",
        FileFormat::Xlsx => ".xlsx",
        FileFormat::Ods => ".ods",
        FileFormat::Rtf => ".rtf",
        FileFormat::Image => "image",
        FileFormat::Other => "autre format",
    }
}

/// The n-th original file of a dossier. The request names the dossier and the position only;
/// the file is found through the declared sources and checked against its recorded hash.
pub async fn original(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    Path((id, n)): Path<(String, usize)>,
) -> Response {
    serve_original(&state, &user, id, n, Delivery::Download).await
}

/// `GET /dossiers/{id}/fichiers/{n}/apercu`: an attached image or PDF to show inside the
/// dossier's page, with the type its bytes say (a raster image or a PDF; anything else is
/// refused), `inline`, and framable by this site only.
pub async fn original_preview(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    Path((id, n)): Path<(String, usize)>,
) -> Response {
    serve_original(&state, &user, id, n, Delivery::Preview).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Delivery {
    Download,
    Preview,
}

async fn serve_original(
    state: &Shared,
    user: &User,
    id: String,
    n: usize,
    delivery: Delivery,
) -> Response {
    let lookup = id.clone();
    let found = blocking(state, move |state| {
        let record = state.index.get(&lookup)?;
        let Some(entry) = record.files.get(n).cloned() else {
            return Ok(Err(Unavailable::NoSuchFile {
                files: record.files.len(),
            }));
        };
        Ok(state
            .originals
            .read(&lookup, &entry)
            .map(|bytes| (entry, bytes)))
    })
    .await;
    let unavailable =
        |status, message: &str| message_page(status, Some(user), "Fichier indisponible", message);
    match found {
        Ok(Ok((entry, bytes))) => {
            let name = entry
                .path
                .rsplit('/')
                .next()
                .unwrap_or("fichier")
                .to_owned();
            if delivery == Delivery::Preview {
                let Some(shown_as) = preview_type(&bytes) else {
                    return unavailable(
                        StatusCode::NOT_FOUND,
                        "Ce fichier ne peut pas être affiché dans la page ; téléchargez-le.",
                    );
                };
                tracing::info!(user = %user.0, dossier = %id, file = %entry.path, "preview");
                let mut response = (
                    [
                        (header::CONTENT_TYPE, HeaderValue::from_static(shown_as)),
                        (header::CONTENT_DISPOSITION, disposition("inline", &name)),
                    ],
                    bytes,
                )
                    .into_response();
                let headers = response.headers_mut();
                headers.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(crate::CSP_PREVIEW),
                );
                headers.insert(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("SAMEORIGIN"),
                );
                return response;
            }
            tracing::info!(user = %user.0, dossier = %id, file = %entry.path, "download");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(content_type(&name)),
                    ),
                    (header::CONTENT_DISPOSITION, attachment(&name)),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(Err(Unavailable::NoSuchFile { files })) => unavailable(
            StatusCode::NOT_FOUND,
            &match files {
                0 => "Ce dossier n'a aucun fichier enregistré.".to_owned(),
                1 => "Ce dossier n'a qu'un fichier ; sa fiche en donne le lien.".to_owned(),
                n => format!("Ce dossier n'a que {n} fichiers ; sa fiche en donne les liens."),
            },
        ),
        Ok(Err(Unavailable::NotHashed)) => unavailable(
            StatusCode::NOT_FOUND,
            "Ce fichier n'a pas pu être lu à l'indexation : sans son empreinte, il n'est pas servi.",
        ),
        Ok(Err(Unavailable::NotFound)) => unavailable(
            StatusCode::NOT_FOUND,
            "Ce fichier n'est plus dans les sources déclarées au serveur.",
        ),
        Ok(Err(Unavailable::Changed)) => unavailable(
            StatusCode::CONFLICT,
            "Ce fichier a changé depuis son indexation ; il sera servi après le prochain passage du traitement.",
        ),
        Ok(Err(Unavailable::Unreadable(why))) => {
            tracing::warn!(dossier = %id, %why, "download");
            unavailable(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Ce fichier n'a pas pu être lu.",
            )
        }
        Err(error) => index_error_page(user, &error),
    }
}

fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "pdf" => "application/pdf",
        "rtf" => "application/rtf",
        _ => "application/octet-stream",
    }
}

/// `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266).
fn attachment(name: &str) -> HeaderValue {
    disposition("attachment", name)
}

/// `{kind}; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266).
fn disposition(kind: &str, name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let value = format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encoded.replace('+', "%20")
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

// ---------------------------------------------------------------------------------------------
// Compare.

/// The dossiers a comparison asks for, or the page that says why it cannot be made.
fn compared_ids(raw: Option<&str>, user: &User) -> Result<Vec<String>, Box<Response>> {
    params::compared_ids(&params::pairs(raw)).map_err(|message| {
        Box::new(message_page(
            StatusCode::BAD_REQUEST,
            Some(user),
            "Comparer",
            &message,
        ))
    })
}

pub async fn compare(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    RawQuery(raw): RawQuery,
) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let view = CompareView::parse(&pairs);
    let ids = match compared_ids(raw.as_deref(), &user) {
        Ok(ids) => ids,
        Err(refused) => return *refused,
    };
    let asked = ids.clone();
    match blocking(&state, move |state| state.index.compare(&asked)).await {
        Ok(comparison) => page(
            StatusCode::OK,
            compare_page(&user, &ids, &comparison, &view),
        ),
        Err(error) => index_error_page(&user, &error),
    }
}

/// What a comparison shows besides its dossiers: the fields chosen (all when none is), only
/// those that differ, and the search to go back to.
#[derive(Debug, Default)]
struct CompareView {
    fields: Vec<String>,
    only_differing: bool,
    back: Option<String>,
}

impl CompareView {
    fn parse(pairs: &[(String, String)]) -> CompareView {
        let fields = pairs
            .iter()
            .filter(|(k, _)| k == "champs")
            .filter_map(|(_, v)| FIELDS.iter().find(|f| f.key == v).map(|f| f.key.to_owned()))
            .collect();
        CompareView {
            fields,
            only_differing: pairs.iter().any(|(k, v)| k == "ecarts" && v == "1"),
            back: params::back_to_search(pairs),
        }
    }

    fn shows(&self, field: &dossiers_index::compare::ComparedField) -> bool {
        // The dossier's id heads its column; a row of ids always « differs » and says nothing.
        field.key != "dossier_id"
            && (self.fields.is_empty() || self.fields.contains(&field.key))
            && (!self.only_differing || field.differs)
    }

    /// The query string of this view over `ids`.
    fn query(&self, ids: &[String]) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for id in ids {
            out.append_pair("ids", id);
        }
        for field in &self.fields {
            out.append_pair("champs", field);
        }
        if self.only_differing {
            out.append_pair("ecarts", "1");
        }
        if let Some(back) = &self.back {
            out.append_pair("retour", back);
        }
        out.finish()
    }
}

/// The comparison of `ids`, with the search to go back to.
fn compare_href(ids: &[String], back: Option<&str>) -> String {
    let view = CompareView {
        back: back.map(str::to_owned),
        ..CompareView::default()
    };
    format!("/comparer?{}", view.query(ids))
}

fn ids_query(ids: &[String]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for id in ids {
        out.append_pair("ids", id);
    }
    out.finish()
}

fn compare_page(
    user: &User,
    ids: &[String],
    comparison: &Comparison,
    view: &CompareView,
) -> Markup {
    let shown: Vec<_> = comparison.fields.iter().filter(|f| view.shows(f)).collect();
    let differing = comparison
        .fields
        .iter()
        .filter(|f| f.key != "dossier_id" && f.differs)
        .count();
    let without =
        |id: &String| -> Vec<String> { ids.iter().filter(|i| *i != id).cloned().collect() };
    let body = html! {
        p.crumbs { a #retour href=(view.back.as_deref().unwrap_or("/recherche")) {
            @if view.back.is_some() { "← Retour aux résultats" } @else { "Recherche" }
        } " › Comparer" }
        h1 { "Comparer " (ids.len()) " dossiers" }
        p.meta {
            span #ecarts { (differing) " champ" @if differing != 1 { "s" } " diffèrent" } ", marqués ≠. "
            a #docx href=(format!("/comparer.docx?{}", ids_query(ids))) download { "Télécharger en .docx" }
        }
        div.compare-tools {
            details #champs {
                summary { "Choisir les champs (" (shown.len()) " affichés)" }
                form method="get" action="/comparer" {
                    @for id in ids { input type="hidden" name="ids" value=(id); }
                    @if let Some(back) = &view.back { input type="hidden" name="retour" value=(back); }
                    label.check { input type="checkbox" name="ecarts" value="1" checked[view.only_differing]; " Seulement les champs qui diffèrent" }
                    fieldset.fields {
                        legend { "Champs (aucun coché : tous)" }
                        @for field in FIELDS.iter().filter(|f| f.key != "dossier_id") {
                            label.check { input type="checkbox" name="champs" value=(field.key) checked[view.fields.iter().any(|k| k == field.key)]; " " (field.label_fr) }
                        }
                    }
                    button #afficher-champs type="submit" { "Afficher" }
                }
            }
            @if ids.len() < params::MAX_COMPARED {
                form #ajouter .add method="get" action="/comparer" {
                    @for id in ids { input type="hidden" name="ids" value=(id); }
                    @for field in &view.fields { input type="hidden" name="champs" value=(field); }
                    @if view.only_differing { input type="hidden" name="ecarts" value="1"; }
                    @if let Some(back) = &view.back { input type="hidden" name="retour" value=(back); }
                    label for="ajout" { "Ajouter un dossier" }
                    input #ajout type="text" name="ids" placeholder="identifiant, ex. ami-0005" required;
                    button type="submit" { "Ajouter" }
                }
            }
        }
        div.scroll {
            table #comparaison .compare {
                thead {
                    tr {
                        th scope="col" { "Champ" }
                        @for id in &comparison.dossiers {
                            th scope="col" data-id=(id) {
                                a href=(dossier_href(id, view.back.as_deref())) { (id) }
                                @if ids.len() > 2 {
                                    " " a.remove href=(format!("/comparer?{}", view.query(&without(id)))) title=(format!("Retirer {id} de la comparaison")) { "×" }
                                }
                            }
                        }
                    }
                }
                tbody {
                    @for field in &shown {
                        tr.differs[field.differs] data-key=(field.key) {
                            th scope="row" { @if field.differs { span.mark title="Les valeurs diffèrent" { "≠ " } } (field.label) }
                            @for value in &field.shown { td { (relabel(&field.key, value)) } }
                        }
                    }
                }
                tbody.sections {
                    tr { th colspan=(comparison.dossiers.len() + 1) { "Sections, alignées par thème" } }
                    @for section in &comparison.sections {
                        tr {
                            th scope="row" { (section.label) }
                            @for lines in &section.first_lines {
                                td.text { (lines.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout("Comparer", Some(user), Tab::None, body)
}

pub async fn compare_docx(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    RawQuery(raw): RawQuery,
) -> Response {
    let ids = match compared_ids(raw.as_deref(), &user) {
        Ok(ids) => ids,
        Err(refused) => return *refused,
    };
    match blocking(&state, move |state| state.index.compare(&ids)?.to_docx()).await {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type("x.docx")),
                ),
                (header::CONTENT_DISPOSITION, attachment("comparaison.docx")),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => index_error_page(&user, &error),
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/// The dimensions charted, in page order.
const CHARTED: [Dimension; 4] = [
    Dimension::LegalForm,
    Dimension::Region,
    Dimension::LandControl,
    Dimension::Sector,
];
/// Interval edges of the budget and subsidy distributions, in euros.
const BUDGET_EDGES: [f64; 5] = [100_000.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0];
const SUBSIDY_EDGES: [f64; 5] = [50_000.0, 100_000.0, 200_000.0, 300_000.0, 500_000.0];

pub(crate) struct StatsPage {
    pub selection: WaveSelection,
    pub waves: StatsReport,
    pub reports: Vec<StatsReport>,
    /// The same dimensions wave by wave, when every wave is shown.
    pub side_by_side: Vec<StatsReport>,
    pub flags: StatsReport,
    pub budget: Vec<RangeCount>,
    pub subsidy: Vec<RangeCount>,
}

pub(crate) fn gather_stats(
    state: &AppState,
    selection: WaveSelection,
) -> Result<StatsPage, IndexError> {
    let index = &state.index;
    Ok(StatsPage {
        selection,
        waves: index.stats(Dimension::Wave, WaveSelection::Pooled)?,
        reports: CHARTED
            .iter()
            .map(|d| index.stats(*d, selection))
            .collect::<Result<_, _>>()?,
        side_by_side: match selection {
            WaveSelection::One(_) => Vec::new(),
            _ => CHARTED
                .iter()
                .map(|d| index.stats(*d, WaveSelection::SideBySide))
                .collect::<Result<_, _>>()?,
        },
        flags: index.stats(Dimension::Flag, selection)?,
        budget: index.distribution(Number::BudgetTotal, selection, &BUDGET_EDGES)?,
        subsidy: index.distribution(Number::SubsidyRequested, selection, &SUBSIDY_EDGES)?,
    })
}

pub async fn stats(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    RawQuery(raw): RawQuery,
) -> Response {
    let selection = match params::wave_selection(&params::pairs(raw.as_deref())) {
        Ok(WaveSelection::SideBySide) | Ok(WaveSelection::Pooled) => WaveSelection::Pooled,
        Ok(selection) => selection,
        Err(message) => {
            return message_page(
                StatusCode::BAD_REQUEST,
                Some(&user),
                "Statistiques",
                &message,
            );
        }
    };
    match blocking(&state, move |state| gather_stats(state, selection)).await {
        Ok(figures) => page(StatusCode::OK, stats_page(&user, &figures)),
        Err(error) => index_error_page(&user, &error),
    }
}

fn wave_query(selection: WaveSelection) -> String {
    match selection {
        WaveSelection::One(wave) => format!("?vague={wave}"),
        _ => String::new(),
    }
}

fn euros(amount: f64) -> String {
    if amount >= 1_000_000.0 {
        format!("{} M€", (amount / 100_000.0).round() / 10.0).replace('.', ",")
    } else {
        format!("{} k€", (amount / 1_000.0).round())
    }
}

fn interval_label(range: &RangeCount) -> String {
    match (range.from, range.to) {
        (None, Some(to)) => format!("< {}", euros(to)),
        (Some(from), None) => format!("≥ {}", euros(from)),
        (Some(from), Some(to)) => format!("{} – {}", euros(from), euros(to)),
        (None, None) => "tous".to_owned(),
    }
}

fn distribution_figure(id: &str, title: &str, ranges: &[RangeCount]) -> Markup {
    let bars: Vec<Bar> = ranges
        .iter()
        .map(|r| Bar {
            label: interval_label(r),
            value: r.count as f64,
            shown: r.count.to_string(),
        })
        .collect();
    html! {
        figure #(id) {
            figcaption { h2 { (title) } }
            (charts::columns(title, &bars))
            table.figures {
                thead { tr { th scope="col" { "Montant" } th scope="col" { "Dossiers" } } }
                tbody { @for bar in &bars { tr { th scope="row" { (bar.label) } td.num { (bar.shown) } } } }
            }
        }
    }
}

fn report_figure(
    report: &StatsReport,
    by_wave: Option<&StatsReport>,
    selection: WaveSelection,
) -> Markup {
    let dimension = Dimension::parse(&report.by).unwrap_or(Dimension::LegalForm);
    let bars: Vec<Bar> = report
        .rows
        .iter()
        .map(|row| Bar {
            label: value_label(dimension, &row.value),
            value: row.metrics.dossiers as f64,
            shown: row.metrics.dossiers.to_string(),
        })
        .collect();
    let (headers, grid) = report.grid();
    let downloads = format!("/statistiques/{}", dimension.name());
    let wave = wave_query(selection);
    html! {
        figure #(format!("stat-{}", dimension.name())) {
            figcaption {
                h2 { "Dossiers par " (dimension.label_fr().to_lowercase()) }
                p.downloads {
                    a href=(format!("{downloads}.csv{wave}")) download { "CSV" } " · "
                    a href=(format!("{downloads}.xlsx{wave}")) download { "XLSX" }
                }
            }
            @let title = format!("Dossiers par {}", dimension.label_fr().to_lowercase());
            @match by_wave.filter(|w| w.total.waves.len() > 1) {
                Some(by_wave) => (wave_stack(&title, dimension, by_wave)),
                None => (charts::bars(&title, &bars)),
            }
            div.scroll {
                table.figures {
                    thead { tr { @for header in &headers { th scope="col" { (header) } } } }
                    tbody {
                        @for (i, row) in grid.iter().enumerate() {
                            tr.total[i == report.rows.len()] {
                                @for (j, cell) in row.iter().enumerate() {
                                    @if j == 0 {
                                        th scope="row" {
                                            @match report.rows.get(i) {
                                                Some(r) => (value_label(dimension, &r.value)),
                                                None => "Total",
                                            }
                                        }
                                    } @else {
                                        td.num { (cell.display()) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One bar per value, split by wave, and the counts per wave in a table under it.
fn wave_stack(title: &str, dimension: Dimension, by_wave: &StatsReport) -> Markup {
    let series: Vec<String> = by_wave
        .total
        .waves
        .iter()
        .map(|w| labels::value(Dimension::Wave, &w.wave))
        .collect();
    let rows: Vec<charts::Stack> = by_wave
        .rows
        .iter()
        .map(|row| charts::Stack {
            label: value_label(dimension, &row.value),
            values: row
                .waves
                .iter()
                .map(|w| w.metrics.dossiers as f64)
                .collect(),
        })
        .collect();
    html! {
        (charts::stacked(title, &series, &rows))
        div.scroll {
            table.figures.by-wave {
                caption { "Dossiers par vague" }
                thead { tr {
                    th scope="col" { (dimension.label_fr()) }
                    @for name in &series { th scope="col" { (name) } }
                    th scope="col" { "Toutes vagues" }
                } }
                tbody {
                    @for (row, stack) in by_wave.rows.iter().zip(&rows) {
                        tr {
                            th scope="row" { (stack.label) }
                            @for wave in &row.waves { td.num { (wave.metrics.dossiers) } }
                            td.num { (row.metrics.dossiers) }
                        }
                    }
                }
            }
        }
    }
}

fn stats_page(user: &User, figures: &StatsPage) -> Markup {
    let total = figures
        .reports
        .first()
        .map_or(0, |r| r.total.metrics.dossiers);
    let flag_bars: Vec<Bar> = figures
        .flags
        .rows
        .iter()
        .filter(|row| row.value != "none")
        .map(|row| {
            let share = if total > 0 {
                row.metrics.dossiers as f64 / total as f64
            } else {
                0.0
            };
            Bar {
                label: labels::value(Dimension::Flag, &row.value),
                value: share,
                shown: format!("{:.0} %", share * 100.0),
            }
        })
        .collect();
    let body = html! {
        h1 { "Statistiques" }
        nav.waves aria-label="Vagues" {
            a href="/statistiques" aria-current=[(figures.selection == WaveSelection::Pooled).then_some("page")] { "Toutes les vagues" }
            @for row in &figures.waves.rows {
                @if let Ok(wave) = row.value.parse::<u8>() {
                    a href=(format!("/statistiques?vague={wave}"))
                        aria-current=[(figures.selection == WaveSelection::One(wave)).then_some("page")] {
                        "Vague " (wave)
                    }
                }
            }
        }
        p.meta #total { (total) " dossier" @if total != 1 { "s" }
            @if let WaveSelection::One(wave) = figures.selection { " dans la vague " (wave) } @else { " toutes vagues confondues" }
        }
        @if figures.selection == WaveSelection::Pooled {
            (report_figure(&figures.waves, None, figures.selection))
            p.downloads {
                "Chaque dimension, vague par vague : "
                @for dimension in CHARTED {
                    a href=(format!("/statistiques/{}.xlsx?vague=cote-a-cote", dimension.name())) download {
                        (dimension.label_fr())
                    } " "
                }
                "(XLSX, toutes les vagues côte à côte)"
            }
        }
        @for (i, report) in figures.reports.iter().enumerate() {
            (report_figure(report, figures.side_by_side.get(i), figures.selection))
        }
        (distribution_figure("stat-budget", "Répartition des budgets totaux", &figures.budget))
        (distribution_figure("stat-subsidy", "Répartition des subventions demandées", &figures.subsidy))
        figure #stat-flag {
            figcaption { h2 { "Part des dossiers par alerte" } }
            (charts::bars("Part des dossiers par alerte", &flag_bars))
            table.figures {
                thead { tr { th scope="col" { "Alerte" } th scope="col" { "Dossiers" } th scope="col" { "Part" } } }
                tbody {
                    @for (row, bar) in figures.flags.rows.iter().filter(|r| r.value != "none").zip(&flag_bars) {
                        tr { th scope="row" { (bar.label) } td.num { (row.metrics.dossiers) } td.num { (bar.shown) } }
                    }
                }
            }
        }
    };
    layout("Statistiques", Some(user), Tab::Stats, body)
}

/// `/statistiques/{dimension}.csv|.xlsx?vague=…`: the table of one dimension.
pub async fn stats_download(
    State(state): State<Shared>,
    Extension(user): Extension<User>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some((name, extension)) = file.rsplit_once('.') else {
        return crate::errors::not_found_page();
    };
    let Some(dimension) = Dimension::parse(name) else {
        return crate::errors::not_found_page();
    };
    if !matches!(extension, "csv" | "xlsx") {
        return crate::errors::not_found_page();
    }
    let selection = match params::wave_selection(&params::pairs(raw.as_deref())) {
        Ok(selection) => selection,
        Err(message) => {
            return message_page(
                StatusCode::BAD_REQUEST,
                Some(&user),
                "Statistiques",
                &message,
            );
        }
    };
    let csv = extension == "csv";
    let made = blocking(&state, move |state| {
        let report = state.index.stats(dimension, selection)?;
        if csv {
            Ok(report.to_csv().into_bytes())
        } else {
            report.to_xlsx()
        }
    })
    .await;
    match made {
        Ok(bytes) => {
            let content_type = if csv {
                "text/csv; charset=utf-8"
            } else {
                content_type("x.xlsx")
            };
            let suffix = match selection {
                WaveSelection::One(wave) => format!("-vague-{wave}"),
                WaveSelection::SideBySide => "-par-vague".to_owned(),
                WaveSelection::Pooled => String::new(),
            };
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                    (
                        header::CONTENT_DISPOSITION,
                        attachment(&format!(
                            "statistiques-{}{suffix}.{extension}",
                            dimension.name()
                        )),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => index_error_page(&user, &error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_follow_a_login() {
        assert_eq!(safe_next("/dossiers/a?x=1"), "/dossiers/a?x=1");
        assert_eq!(safe_next("//evil.example/"), "/recherche");
        assert_eq!(safe_next("https://evil.example/"), "/recherche");
        assert_eq!(safe_next("/\\evil.example"), "/recherche");
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "/é",
            "",
            "recherche",
            "javascript:alert(1)",
            "/\u{0}x",
        ] {
            assert_eq!(safe_next(hostile), "/recherche", "{hostile:?}");
        }
        for encoded in [
            "/%09/evil.example",
            "/%0a/x",
            "/%2F/evil.example",
            "/%5Cevil.example",
        ] {
            assert_eq!(safe_next(encoded), "/recherche", "{encoded:?}");
        }
        assert_eq!(safe_next("/dossiers/ami%2D0005"), "/dossiers/ami%2D0005");
        assert_eq!(
            safe_next("/recherche?q=bois&f=wave%3A2"),
            "/recherche?q=bois&f=wave%3A2"
        );
    }

    #[test]
    fn dossier_links_encode_the_id_as_a_path_segment() {
        assert_eq!(dossier_href("ami-0005", None), "/dossiers/ami-0005");
        assert_eq!(
            dossier_href("dossier 12+1", None),
            "/dossiers/dossier%2012%2B1"
        );
        assert_eq!(
            dossier_href("a/b", Some("/recherche?q=bois")),
            "/dossiers/a%2Fb?retour=%2Frecherche%3Fq%3Dbois"
        );
    }

    #[test]
    fn attachment_names_are_safe_headers() {
        let value = attachment("dossier \"candidature\" Épône.docx");
        let value = value.to_str().unwrap();
        assert!(
            value.starts_with("attachment; filename=\"dossier__candidature__"),
            "{value}"
        );
        assert!(
            value.contains("filename*=UTF-8''dossier%20%22candidature%22%20%C3%89p%C3%B4ne.docx"),
            "{value}"
        );
    }

    #[test]
    fn codes_are_shown_in_french() {
        assert_eq!(
            relabel("land_control.status", "emphyteotic_lease"),
            "Bail emphytéotique"
        );
        assert_eq!(relabel("activities.sectors", "bois, verre"), "Bois, Verre");
        assert_eq!(relabel("applicant.region", "44"), "Grand Est");
        assert_eq!(relabel("applicant.region", "—"), "—");
        assert_eq!(relabel("applicant.commune", "Langres"), "Langres");
        assert_eq!(
            relabel("deposited_at", "2021-11-23T23:36:00+01:00"),
            "23 novembre 2021 à 23 h 36"
        );
        assert_eq!(relabel("deposited_at", "—"), "—");
    }

    #[test]
    fn amounts_and_intervals_read_in_french() {
        assert_eq!(euros(250_000.0), "250 k€");
        assert_eq!(euros(1_500_000.0), "1,5 M€");
        let range = RangeCount {
            from: Some(100_000.0),
            to: Some(250_000.0),
            count: 3,
        };
        assert_eq!(interval_label(&range), "100 k€ – 250 k€");
    }
}
