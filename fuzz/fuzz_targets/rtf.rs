//! Fuzzes the RTF reader directly: any bytes must give a document or a typed error, never a
//! panic, a hang or an unbounded allocation.
#![no_main]

use std::time::Duration;

use dossiers_document::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits {
        max_duration: Duration::from_secs(2),
        max_chars: 1 << 20,
        max_cells: 100_000,
        ..Limits::default()
    };
    let _ = dossiers_rtf::read_rtf(bytes, &limits);
});
