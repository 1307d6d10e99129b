//! Fuzzes the whole seam: format detection, then whichever reader the bytes lead to.
#![no_main]

use std::time::Duration;

use dossiers_extract::{Limits, extract_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits {
        max_duration: Duration::from_secs(2),
        max_chars: 1 << 20,
        max_cells: 100_000,
        ..Limits::default()
    };
    let _ = extract_bytes(bytes, &limits);
});
