//! Bounds on what one file may cost. Every reader takes a [`Limits`] and keeps a [`Budget`] that
//! it charges as it goes, so that a hostile file ends in a `too_large` error, not in a hang or an
//! exhausted machine.

use std::time::{Duration, Instant};

use crate::{ExtractError, Result};

/// The limits one extraction runs under. The defaults fit dossiers (a few MB) with a wide margin.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest input file, in bytes.
    pub max_input_bytes: u64,
    /// Largest inflated size of one zip entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest inflated / compressed ratio of one zip entry (over `min_ratio_check_bytes`).
    pub max_inflate_ratio: u64,
    /// Entries smaller than this are not checked for their ratio (tiny XML parts compress well).
    pub min_ratio_check_bytes: u64,
    /// Largest inflated size of all zip entries read for one document, in bytes.
    pub max_total_inflated_bytes: u64,
    /// Most entries in one zip archive.
    pub max_zip_entries: usize,
    /// Deepest XML element nesting, and deepest RTF group nesting.
    pub max_xml_depth: usize,
    /// Most pieces in a `.doc` piece table.
    pub max_pieces: usize,
    /// Most characters of text kept for one document.
    pub max_chars: u64,
    /// Most non-empty cells kept for one workbook.
    pub max_cells: u64,
    /// Longest time one extraction may take. Readers check it as they go.
    pub max_duration: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input_bytes: 64 << 20,
            max_entry_bytes: 256 << 20,
            max_inflate_ratio: 100,
            min_ratio_check_bytes: 1 << 20,
            max_total_inflated_bytes: 512 << 20,
            max_zip_entries: 10_000,
            max_xml_depth: 512,
            max_pieces: 100_000,
            max_chars: 20_000_000,
            max_cells: 5_000_000,
            max_duration: Duration::from_secs(30),
        }
    }
}

/// What an extraction has spent so far against its [`Limits`].
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    started: Instant,
    chars: u64,
    cells: u64,
    inflated: u64,
    ticks: u32,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            limits: limits.clone(),
            started: Instant::now(),
            chars: 0,
            cells: 0,
            inflated: 0,
            ticks: 0,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Charges `n` characters of kept text.
    pub fn charge_chars(&mut self, n: usize) -> Result<()> {
        self.chars = self.chars.saturating_add(n as u64);
        if self.chars > self.limits.max_chars {
            return Err(ExtractError::too_large("characters", self.limits.max_chars));
        }
        self.tick()
    }

    /// Charges `n` non-empty cells.
    pub fn charge_cells(&mut self, n: usize) -> Result<()> {
        self.cells = self.cells.saturating_add(n as u64);
        if self.cells > self.limits.max_cells {
            return Err(ExtractError::too_large("cells", self.limits.max_cells));
        }
        self.tick()
    }

    /// Charges `n` inflated bytes read from a container.
    pub fn charge_inflated(&mut self, n: u64) -> Result<()> {
        self.inflated = self.inflated.saturating_add(n);
        if self.inflated > self.limits.max_total_inflated_bytes {
            return Err(ExtractError::too_large(
                "total inflated size",
                self.limits.max_total_inflated_bytes,
            ));
        }
        self.check_time()
    }

    /// Cheap to call in a hot loop: the clock is read once every 4096 calls.
    #[inline]
    pub fn tick(&mut self) -> Result<()> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(4096) {
            self.check_time()
        } else {
            Ok(())
        }
    }

    pub fn check_time(&self) -> Result<()> {
        if self.started.elapsed() > self.limits.max_duration {
            return Err(ExtractError::too_large(
                "time in milliseconds",
                self.limits.max_duration.as_millis() as u64,
            ));
        }
        Ok(())
    }

    pub fn chars(&self) -> u64 {
        self.chars
    }

    pub fn cells(&self) -> u64 {
        self.cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_over_the_limit_are_too_large() {
        let limits = Limits {
            max_chars: 10,
            ..Limits::default()
        };
        let mut budget = Budget::new(&limits);
        assert!(budget.charge_chars(10).is_ok());
        let error = budget.charge_chars(1).unwrap_err();
        assert_eq!(error.kind(), "too_large");
    }

    #[test]
    fn time_over_the_limit_is_too_large() {
        let limits = Limits {
            max_duration: Duration::ZERO,
            ..Limits::default()
        };
        let budget = Budget::new(&limits);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(budget.check_time().unwrap_err().kind(), "too_large");
    }
}
