//! End-to-end tests of the `dossiers` binary: run it as a user does and read its stdout, stderr
//! and exit status.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dossiers(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unsupported_file_fails_with_one_error_line_naming_it() {
    let output = dossiers(&["extract", "fixtures/broken/pdf-named.doc"]);
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output).trim(),
        "error: fixtures/broken/pdf-named.doc: unsupported format: pdf"
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn an_encrypted_file_is_reported_as_encrypted() {
    let output = dossiers(&["extract", "fixtures/broken/encrypted-ooxml.docx"]);
    assert!(!output.status.success());
    assert!(stderr(&output).starts_with("error: fixtures/broken/encrypted-ooxml.docx: encrypted"));
}

#[test]
fn a_missing_file_is_an_io_error() {
    let output = dossiers(&["extract", "fixtures/no-such-file.docx"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("fixtures/no-such-file.docx: io:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let output = dossiers(&[
        "extract",
        "fixtures/broken/empty.doc",
        "fixtures/broken/wrong-extension-docx-named.doc",
    ]);
    let err = stderr(&output);
    assert!(
        err.contains("error: fixtures/broken/empty.doc: corrupt: empty file"),
        "{err}"
    );
    assert!(
        stdout(&output).contains("==> fixtures/broken/wrong-extension-docx-named.doc <=="),
        "{}",
        stdout(&output)
    );
    assert!(!output.status.success());
}

#[test]
fn json_output_is_the_document_model() {
    let output = dossiers(&[
        "extract",
        "--json",
        "fixtures/broken/wrong-extension-docx-named.doc",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["format"], "docx");
    assert_eq!(document["stories"][0]["kind"], "body");
    assert_eq!(document["warnings"][0]["code"], "misnamed_file");
    assert!(stderr(&output).contains("warning:"), "{}", stderr(&output));
}

#[test]
fn a_panic_caught_inside_a_reader_prints_only_the_error_line() {
    let output = dossiers(&["extract", "fixtures/broken/calamine-name-record-panic.xls"]);
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output).trim(),
        "error: fixtures/broken/calamine-name-record-panic.xls: corrupt: \
         the spreadsheet parser panicked opening the xls"
    );
}

#[test]
fn normalize_writes_one_record_per_dossier_that_agrees_with_the_truth() {
    let out = tempfile::tempdir().unwrap();
    let output = dossiers(&[
        "normalize",
        "fixtures/dossiers",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let truths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/dossiers"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".truth.json"))
        .collect();
    assert!(truths.len() >= 6);
    assert_eq!(stdout(&output).lines().count(), truths.len());
    for truth_path in truths {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
        let id = truth["dossier_id"].as_str().unwrap();
        let record: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("{id}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(record["wave"], truth["wave"], "{id}");
        for field in ["legal_model", "land_control"] {
            for (key, expected) in truth[field].as_object().into_iter().flatten() {
                assert_eq!(&record[field][key], expected, "{id}: {field}.{key}");
            }
        }
        assert_eq!(
            record["applicant"]["siret"], truth["applicant"]["siret"],
            "{id}"
        );
        assert_eq!(
            record["budget"]["total_expenses"], truth["budget"]["total_expenses"],
            "{id}"
        );
    }
}

fn dossiers_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// One raw HTTP/1.1 GET; returns the status line and headers.
fn http_head(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply.split("\r\n\r\n").next().unwrap_or("").to_owned()
}

/// One raw HTTP/1.1 POST of a form; returns the status line and headers.
fn http_post_form(port: u16, path: &str, form: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply.split("\r\n\r\n").next().unwrap_or("").to_owned()
}

#[test]
fn user_add_stores_an_argon2_hash_and_serve_refuses_without_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users");
    let users_arg = users.to_str().unwrap();
    let short = dossiers_with_stdin(&["user", "add", "claire", "--users", users_arg], "court\n");
    assert!(!short.status.success());
    assert!(
        stderr(&short).contains("at least 10 characters"),
        "{}",
        stderr(&short)
    );
    let added = dossiers_with_stdin(
        &["user", "add", "claire", "--users", users_arg],
        "un mot de passe assez long\n",
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let text = std::fs::read_to_string(&users).unwrap();
    assert!(text.contains("claire:$argon2id$"), "{text}");
    assert!(!text.contains("mot de passe"));
    assert_eq!(
        stdout(&dossiers(&["user", "list", "--users", users_arg])),
        "claire\n"
    );

    // No account, no server.
    let index = dir.path().join("index");
    let ingest = dossiers(&[
        "ingest",
        "--quiet",
        "--index",
        index.to_str().unwrap(),
        "fixtures/dossiers",
    ]);
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let empty = dir.path().join("nobody");
    let refused = dossiers(&[
        "serve",
        "--index",
        index.to_str().unwrap(),
        "--users",
        empty.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("dossiers user add"),
        "{}",
        stderr(&refused)
    );

    // With one: the real binary listens on loopback and sends a stranger to the login page.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args([
            "serve",
            "--index",
            index.to_str().unwrap(),
            "--users",
            users_arg,
            "--addr",
            &addr,
        ])
        .current_dir(root())
        .env("DOSSIERS_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "serve never listened");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let head = http_head(port, "/recherche");
    let api = http_head(port, "/api/search?q=bois");
    // A name that tries to write a line of its own into the audit log (issue 14): the text
    // log keeps it on the line of its event, escaped.
    let forged = http_post_form(
        port,
        "/connexion",
        "utilisateur=x%0A2026-01-01T00%3A00%3A00Z++INFO+login+user%3Dadmin&mot_de_passe=devinette",
    );
    assert!(forged.starts_with("HTTP/1.1 401"), "{forged}");
    server.kill().unwrap();
    let log = server.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&log.stderr);
    assert!(log.contains(r"user=x\n2026-01-01"), "{log}");
    assert!(
        !log.lines().any(|line| line.starts_with("2026-01-01")),
        "a forged line: {log}"
    );
    assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("location: /connexion?suite=%2frecherche"),
        "{head}"
    );
    assert!(api.starts_with("HTTP/1.1 401"), "{api}");
}
