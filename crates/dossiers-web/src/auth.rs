//! Accounts and sessions.
//!
//! Accounts live in a text file, one `name:argon2-hash` per line (PHC strings, `#` comments),
//! written by `dossiers user add NAME` and read again at each login, so an account added while
//! the server runs works at once. Sessions are random 256-bit tokens held in memory: a restart
//! logs everybody out, which is the safe default for personal data.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::WebError;

/// How long a session lasts after login.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// The name of the session cookie.
pub const COOKIE: &str = "dossiers_session";
/// Shortest password `user add` accepts.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The accounts file, as read.
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    hashes: BTreeMap<String, String>,
}

impl Accounts {
    /// Reads an accounts file; a missing file is no account at all.
    pub fn load(path: &Path) -> Result<Accounts, WebError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(WebError::io(path, error)),
        };
        let mut hashes = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || WebError::Accounts {
                path: path.to_path_buf(),
                line: n + 1,
                message: "expected NAME:ARGON2-HASH".to_owned(),
            };
            let (name, hash) = line.split_once(':').ok_or_else(bad)?;
            PasswordHash::new(hash).map_err(|_| bad())?;
            hashes.insert(name.to_owned(), hash.to_owned());
        }
        Ok(Accounts { hashes })
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.hashes.keys().map(String::as_str)
    }

    /// Whether `password` is `name`'s. An unknown name costs the same argon2 work as a known
    /// one, so timing does not tell which names exist.
    pub fn verify(&self, name: &str, password: &str) -> bool {
        self.verify_with(name, password, &mut Vec::new())
    }

    /// [`Accounts::verify`] with the argon2 working memory given, grown to the hash's `m_cost`
    /// if it is smaller and kept for the next check (the hashing workers own one each).
    pub fn verify_with(&self, name: &str, password: &str, memory: &mut Vec<Block>) -> bool {
        let hash = match self.hashes.get(name) {
            Some(hash) => hash.as_str(),
            None => dummy_hash(),
        };
        let matches = PasswordHash::new(hash)
            .ok()
            .is_some_and(|parsed| argon2_matches(&parsed, password.as_bytes(), memory));
        matches && self.hashes.contains_key(name)
    }
}

/// What `PasswordVerifier::verify_password` does, in caller-provided memory: the hash's own
/// algorithm, version and parameters over the password, compared in constant time.
fn argon2_matches(hash: &PasswordHash<'_>, password: &[u8], memory: &mut Vec<Block>) -> bool {
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut computed = vec![0u8; expected.len()];
    let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut computed,
        &mut memory[..],
    );
    hashed.is_ok() && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// A hash of a random password nobody knows, verified against when the name is unknown.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        random_bytes::<16>()
            .ok()
            .and_then(|secret| hash(&secret).ok())
            .unwrap_or_default()
    })
}

fn hash(password: &[u8]) -> Result<String, WebError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|error| WebError::BadInput(error.to_string()))?;
    Ok(Argon2::default()
        .hash_password(password, &salt)
        .map_err(|error| WebError::BadInput(error.to_string()))?
        .to_string())
}

/// Longest account name, in bytes.
pub const MAX_NAME_BYTES: usize = 64;
/// Longest password a login may send, in bytes (argon2 would take more; nobody types more).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Whether `name` may be an account name: 1 to 64 of `a-z A-Z 0-9 . _ -` (no `:`, no spaces).
pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME_BYTES).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A name as it may be logged: whole when it is a valid account name, otherwise its first
/// characters and its length, so that a megabyte typed as a name is never logged whole.
/// (Control characters are the log formatter's to escape.)
pub fn loggable_name(name: &str) -> String {
    if valid_name(name) {
        return name.to_owned();
    }
    let shown: String = name.chars().take(MAX_NAME_BYTES / 2).collect();
    if shown.len() == name.len() {
        shown
    } else {
        format!("{shown}… ({} octets)", name.len())
    }
}

/// Adds or replaces `name` in the accounts file with an argon2id hash of `password`. The file is
/// rewritten whole through a temporary file and a rename, readable by its owner only.
pub fn add_user(path: &Path, name: &str, password: &str) -> Result<(), WebError> {
    if !valid_name(name) {
        return Err(WebError::BadInput(format!(
            "account name {name:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
        )));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WebError::BadInput(format!(
            "the password needs at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let mut accounts = Accounts::load(path)?;
    accounts
        .hashes
        .insert(name.to_owned(), hash(password.as_bytes())?);

    let mut text =
        String::from("# dossiers accounts: NAME:ARGON2-HASH (written by `dossiers user add`)\n");
    for (name, hash) in &accounts.hashes {
        text.push_str(name);
        text.push(':');
        text.push_str(hash);
        text.push('\n');
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|error| WebError::io(parent, error))?;
    }
    let temporary = path.with_extension("tmp");
    write_private(&temporary, text.as_bytes()).map_err(|error| WebError::io(&temporary, error))?;
    std::fs::rename(&temporary, path).map_err(|error| WebError::io(path, error))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn random_bytes<const N: usize>() -> Result<[u8; N], WebError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|error| WebError::BadInput(format!("no randomness from the system: {error}")))?;
    Ok(bytes)
}

/// Who is logged in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    expires: Instant,
}

/// The live sessions, by token.
#[derive(Debug, Default)]
pub struct Sessions {
    live: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Opens a session for `user`; returns its token (64 hex digits).
    pub fn open(&self, user: &str) -> Result<String, WebError> {
        let token: String = random_bytes::<32>()?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let session = Session {
            user: user.to_owned(),
            expires: Instant::now() + SESSION_LIFETIME,
        };
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        live.retain(|_, s| s.expires > now);
        live.insert(token.clone(), session);
        Ok(token)
    }

    /// The session of a token, if it is live.
    pub fn get(&self, token: &str) -> Option<Session> {
        let live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.get(token)
            .filter(|session| session.expires > Instant::now())
            .cloned()
    }

    pub fn close(&self, token: &str) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.remove(token);
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

/// The `Set-Cookie` value that opens a session (`secure` behind TLS).
pub fn session_cookie(token: &str, secure: bool) -> String {
    let mut cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_LIFETIME.as_secs()
    );
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// The `Set-Cookie` value that ends it.
pub fn cleared_cookie(secure: bool) -> String {
    let mut cookie = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// The default accounts file, beside the default index (`var/index`).
pub const DEFAULT_ACCOUNTS: &str = "var/users";

/// The session token a request carries, if any.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|cookies| cookie_value(cookies, COOKIE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_added_account_verifies_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users");
        add_user(&path, "claire", "un mot de passe long").unwrap();
        add_user(&path, "malik", "un autre mot de passe").unwrap();
        let accounts = Accounts::load(&path).unwrap();
        assert_eq!(accounts.names().collect::<Vec<_>>(), ["claire", "malik"]);
        assert!(accounts.verify("claire", "un mot de passe long"));
        assert!(!accounts.verify("claire", "un autre mot de passe"));
        assert!(!accounts.verify("inconnu", "un mot de passe long"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("claire:$argon2id$"), "{text}");
        assert!(!text.contains("mot de passe"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn bad_names_short_passwords_and_bad_lines_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users");
        assert!(add_user(&path, "a:b", "un mot de passe long").is_err());
        assert!(add_user(&path, "", "un mot de passe long").is_err());
        assert!(add_user(&path, "claire", "court").is_err());
        std::fs::write(&path, "claire:not-a-hash\n").unwrap();
        let error = Accounts::load(&path).unwrap_err().to_string();
        assert!(error.contains("line 1"), "{error}");
        assert!(
            Accounts::load(&dir.path().join("missing"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn sessions_open_find_and_close() {
        let sessions = Sessions::default();
        let token = sessions.open("claire").unwrap();
        assert_eq!(token.len(), 64);
        assert_eq!(sessions.get(&token).unwrap().user, "claire");
        assert!(sessions.get("0000").is_none());
        sessions.close(&token);
        assert!(sessions.get(&token).is_none());
        assert_ne!(
            sessions.open("claire").unwrap(),
            sessions.open("claire").unwrap()
        );
    }

    #[test]
    fn long_names_are_logged_cut() {
        assert_eq!(loggable_name("claire"), "claire");
        let long = "x".repeat(1_000_000);
        let logged = loggable_name(&long);
        assert!(logged.len() < 100, "{logged}");
        assert!(logged.ends_with("(1000000 octets)"), "{logged}");
        assert_eq!(loggable_name("a\nb"), "a\nb");
    }

    #[test]
    fn cookies_are_read_and_written_strictly() {
        assert_eq!(
            cookie_value("a=1; dossiers_session=abc; b=2", COOKIE),
            Some("abc")
        );
        assert_eq!(cookie_value("xdossiers_session=abc", COOKIE), None);
        let cookie = session_cookie("abc", true);
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        assert!(!session_cookie("abc", false).contains("Secure"));
    }
}
