//! Log lines that cannot be forged.
//!
//! The web UI logs who logged in and who read which dossier: an audit trail. A field holding
//! what a visitor typed (a login name with a newline and a fake `login user=admin` after it)
//! would write a line of its own into the text log. The JSON log escapes its strings already;
//! the text log goes through [`escaped_fields`], which writes every field's value with its
//! control characters (and the Unicode line separators and bidirectional overrides, which
//! some viewers render as line breaks or reorder) escaped as `\n`, `\u{1b}`, so that one event
//! is always one line.

use std::fmt::{self, Write as _};

use tracing::field::Field;
use tracing_subscriber::field::MakeExt;
use tracing_subscriber::fmt::FormatFields;
use tracing_subscriber::fmt::format::{Writer, debug_fn};

/// Whether `c` could break or disguise a log line.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every hostile character written as its Rust escape.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hostile(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The text log's field formatter: `name=value` separated by spaces, the message bare, as
/// tracing-subscriber's default, with each value escaped.
pub fn escaped_fields() -> impl for<'writer> FormatFields<'writer> + Send + Sync + 'static {
    debug_fn(
        |writer: &mut Writer<'_>, field: &Field, value: &dyn fmt::Debug| {
            let mut text = String::new();
            write!(text, "{value:?}")?;
            let text = escape(&text);
            if field.name() == "message" {
                write!(writer, "{text}")
            } else {
                write!(writer, "{}={text}", field.name())
            }
        },
    )
    .delimited(" ")
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_forged_name_stays_on_its_line() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .fmt_fields(escaped_fields())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let forged = "x\n2026-01-01T00:00:00Z  INFO login user=admin\u{1b}[2K\u{2028}";
            tracing::warn!(user = %forged, client = "127.0.0.1", "failed login");
            tracing::info!(user = "claire", "login");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains(r"user=x\n2026-01-01"), "{text}");
        assert!(lines[0].contains(r"\u{1b}[2K\u{2028}"), "{text}");
        assert!(lines[0].contains("failed login"), "{text}");
        assert!(lines[1].ends_with(r#"login user="claire""#), "{text}");
    }

    #[test]
    fn ordinary_text_is_kept() {
        assert_eq!(escape("Épône — dossier n° 3"), "Épône — dossier n° 3");
        assert_eq!(escape("a\tb\r\n"), r"a\tb\r\n");
    }
}
