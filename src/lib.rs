//! Read Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) into a typed [`Report`] and JSON.
//!
//! One pipeline, one direction:
//!
//! ```text
//! bytes ──read──▶ Document ──extract──▶ Report ──check──▶ Report + checks ──serde──▶ JSON
//! ```
//!
//! - [`read`] sniffs the format (DOCX, XLSX/XLS/ODS, HTML, plain text in any Chinese
//!   encoding) and builds a [`Document`]: paragraphs and table grids with merges resolved.
//! - extraction finds the report by its labels, never by position: title, agency, year,
//!   the six sections, tables 2–4 of the 2019 and 2021 national formats, every figure
//!   with its provenance.
//! - [`check`] evaluates the report's own arithmetic (勾稽关系).
//! - [`Report`] serialises with serde exactly as the JSON contract (`spec/JSON.md`) says;
//!   [`json`] writes the same bytes as `serde_json`, faster (what the converter uses).
//!
//! Errors are values: [`Error`] says what went wrong ([`ErrorKind`]) and where.
//!
//! # Example
//!
//! ```
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/samples/qx-jxj-2023.txt");
//! let report = disclosure_report::parse_path(path)?;
//! assert_eq!(report.meta.agency.as_deref(), Some("渠县经济和信息化局"));
//! assert_eq!(report.meta.report_year, Some(2023));
//! let t3 = report.applications.as_ref().unwrap();
//! assert_eq!(t3.new_received.total, Some(0));
//! assert!(report.checks.iter().any(|c| c.id == "T3-BAL"));
//! println!("{}", serde_json::to_string_pretty(&report)?);
//! assert_eq!(
//!     disclosure_report::json::to_vec_pretty(&report)?,
//!     serde_json::to_vec_pretty(&report)?
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Just the document, for your own extraction:
//!
//! ```
//! let doc = disclosure_report::read::read_bytes("规章\t0\t0\t0".as_bytes(), Some("a.txt"))?;
//! assert_eq!(doc.tables().count(), 1);
//! # Ok::<(), disclosure_report::Error>(())
//! ```
#![deny(missing_docs)]

use std::path::Path;

use sha2::{Digest, Sha256};

mod bulk;
pub mod check;
pub mod document;
mod error;
mod extract;
pub mod json;
mod limits;
pub mod model;
pub mod read;

pub use bulk::{
    convert_many, csv_first_field, csv_line, failed_checks, fingerprint, fingerprints, Bulk,
    FigureColumns, Outcome, Outcomes, OutcomesWith, META_COLUMNS,
};
pub use document::Document;
pub use error::{Error, ErrorKind};
pub use limits::{Deadline, Limits};
pub use model::Report;
pub use read::Format;

/// Options for parsing: limits, and whether to run the checks.
///
/// ```
/// let opts = disclosure_report::Options::new().limits(disclosure_report::Limits::default());
/// let err = opts.parse_bytes(b"", None).unwrap_err();
/// assert_eq!(err.code(), "not_a_report");
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    limits: Limits,
    checks: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            checks: true,
        }
    }
}

impl Options {
    /// Default options: [`Limits::default`], checks on.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the limits. Default: [`Limits::default`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Whether to run the consistency checks. Default: `true`.
    pub fn checks(mut self, yes: bool) -> Self {
        self.checks = yes;
        self
    }

    /// The limits in force.
    pub fn get_limits(&self) -> &Limits {
        &self.limits
    }

    /// Parses a report from bytes; `name` (a file name or path) is a hint only and is
    /// recorded as `source.path`.
    pub fn parse_bytes(&self, bytes: &[u8], name: Option<&str>) -> Result<Report, Error> {
        self.parse_bytes_hashed(bytes, name, None)
    }

    /// [`parse_bytes`](Self::parse_bytes) with the SHA-256 of `bytes` when the caller
    /// already computed it (the bulk converter hashes each file once, before parsing).
    pub(crate) fn parse_bytes_hashed(
        &self,
        bytes: &[u8],
        name: Option<&str>,
        sha256: Option<&str>,
    ) -> Result<Report, Error> {
        let loaded = read::load(bytes, name, &self.limits)?;
        let source = model::Source {
            path: name.map(str::to_string),
            format: loaded.format,
            encoding: loaded.encoding.map(str::to_string),
            sha256: match sha256 {
                Some(known) => known.to_string(),
                None => sha256_hex(bytes),
            },
        };
        let mut report = extract::extract(&loaded.document, source)?;
        if self.checks {
            check::run(&mut report);
        }
        Ok(report)
    }

    /// Extracts a report from a [`Document`] already read (by a reader of this crate or
    /// built by the caller with [`document::TableBuilder`]); `source` describes the input.
    pub fn parse_document(&self, doc: &Document, source: model::Source) -> Result<Report, Error> {
        let mut report = extract::extract(doc, source)?;
        if self.checks {
            check::run(&mut report);
        }
        Ok(report)
    }

    /// Reads and parses the file at `path`; errors name the file.
    pub fn parse_path(&self, path: impl AsRef<Path>) -> Result<Report, Error> {
        let path = path.as_ref();
        let bytes = read_file(path, self.limits.max_input_bytes).map_err(|e| e.with_path(path))?;
        let name = path.to_string_lossy();
        self.parse_bytes(&bytes, Some(&name))
            .map_err(|e| e.with_path(path))
    }
}

/// Reads a file, refusing one larger than `max` bytes without reading it whole.
pub(crate) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(Error::limit("input size (bytes)", max));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Error::limit("input size (bytes)", max));
    }
    Ok(bytes)
}

/// Parses a report from bytes with default [`Options`]. `name` is a hint only.
pub fn parse_bytes(bytes: &[u8], name: Option<&str>) -> Result<Report, Error> {
    Options::default().parse_bytes(bytes, name)
}

/// Reads and parses the file at `path` with default [`Options`].
pub fn parse_path(path: impl AsRef<Path>) -> Result<Report, Error> {
    Options::default().parse_path(path)
}

/// Lower-case hex SHA-256 of `bytes`.
///
/// `sha2` hashes with the SHA extensions (SHA-NI) where the CPU has them, detected at run
/// time, and in portable code elsewhere.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}
