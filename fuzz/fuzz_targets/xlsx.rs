//! Fuzzes the .xlsx reader directly: any bytes must give a document or a typed error, never a
//! panic, a hang or an unbounded allocation.
#![no_main]

use std::time::Duration;

use dossiers_document::Limits;
use libfuzzer_sys::fuzz_target;

static QUIET: std::sync::Once = std::sync::Once::new();

fuzz_target!(|bytes: &[u8]| {
    // calamine panics on some malformed workbooks (e.g. a short NAME record, xls.rs:838); the
    // reader catches that and answers `corrupt`, which is the behaviour under test. libfuzzer-sys
    // aborts on every panic, caught or not, so its hook is replaced: a panic that escapes the
    // reader still aborts: libfuzzer-sys catches it around the target and calls abort().
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let limits = Limits {
        max_duration: Duration::from_secs(2),
        max_chars: 1 << 20,
        max_cells: 100_000,
        ..Limits::default()
    };
    let _ = dossiers_sheet::read_xlsx(bytes, &limits);
});
