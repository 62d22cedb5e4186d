//! Limits that bound everything the input controls.

use std::time::{Duration, Instant};

use crate::error::Error;

/// Bounds on what one input may make the crate do.
///
/// The defaults are generous for any real report (the largest real one is well under
/// 5 MB) and tight enough that hostile files (zip bombs, entity bombs, sheets claiming
/// millions of rows) stop quickly. A breach is an
/// [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded) naming the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest input accepted, in bytes. Default 64 MiB.
    pub max_input_bytes: u64,
    /// Largest total of decompressed zip entries read, in bytes. Default 256 MiB.
    pub max_decompressed_bytes: u64,
    /// Largest single decompressed zip entry, in bytes. Default 128 MiB.
    pub max_entry_bytes: u64,
    /// Largest compression ratio of one zip entry (decompressed / compressed) once the
    /// entry exceeds 1 MiB. Default 200.
    pub max_compression_ratio: u64,
    /// Most entries a zip package may list. Default 20,000.
    pub max_zip_entries: usize,
    /// Deepest XML or HTML element nesting. Default 512.
    pub max_xml_depth: usize,
    /// Most XML or HTML elements in one part. Default 5,000,000.
    pub max_xml_elements: u64,
    /// Most grid positions (rows × columns) in one table or sheet. Default 1,000,000.
    pub max_table_cells: usize,
    /// Most characters of decoded text. Default 32 Mi.
    pub max_text_chars: usize,
    /// Longest time one file may take; `None` for no limit. Default 30 s.
    pub max_time: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_decompressed_bytes: 256 << 20,
            max_entry_bytes: 128 << 20,
            max_compression_ratio: 200,
            max_zip_entries: 20_000,
            max_xml_depth: 512,
            max_xml_elements: 5_000_000,
            max_table_cells: 1_000_000,
            max_text_chars: 32 << 20,
            max_time: Some(Duration::from_secs(30)),
        }
    }
}

impl Limits {
    /// A deadline for work started now, per [`max_time`](Self::max_time).
    pub fn deadline(&self) -> Deadline {
        Deadline {
            at: self.max_time.and_then(|d| Instant::now().checked_add(d)),
            limit: self.max_time.unwrap_or_default(),
        }
    }
}

/// A point in time after which work on one file stops with a limit error.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Option<Instant>,
    limit: Duration,
}

impl Deadline {
    /// No deadline.
    pub fn none() -> Self {
        Deadline {
            at: None,
            limit: Duration::ZERO,
        }
    }

    /// `Err(LimitExceeded)` once the deadline has passed.
    pub fn check(&self) -> Result<(), Error> {
        match self.at {
            Some(at) if Instant::now() > at => Err(Error::limit(
                "time per file (ms)",
                self.limit.as_millis() as u64,
            )),
            _ => Ok(()),
        }
    }
}
