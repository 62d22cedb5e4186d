//! The crate's one error type.
//!
//! `Err` means "no report could be produced". Soft problems (a short row, a blank taken
//! as zero, an unknown label) are not errors: they are `warnings` and `checks` of the
//! [`Report`](crate::Report).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::read::Format;

/// An error: what went wrong ([`ErrorKind`]) and, when known, in which file.
///
/// The payload is boxed so that `Result<T, Error>` stays one pointer wide.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
    path: Option<PathBuf>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading the input failed.
    Io(std::io::Error),
    /// The input is in a format the crate does not read; `format` names what was
    /// recognised (e.g. "PDF", "Word 97-2003 .doc", "OFD").
    UnsupportedFormat {
        /// The format recognised, or a description of what the bytes look like.
        format: String,
        /// What the crate would need, or why it declines.
        detail: String,
    },
    /// The file is password-protected or encrypted.
    Encrypted {
        /// The container format recognised.
        format: String,
    },
    /// The file claims to be `format` but is damaged.
    Malformed {
        /// The format being read.
        format: Format,
        /// The part or location where the damage was found (e.g. `word/document.xml`).
        part: String,
        /// What was wrong.
        detail: String,
        /// The underlying error, if any.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A limit protecting against hostile input was exceeded.
    LimitExceeded {
        /// What was limited (e.g. "decompressed size", "XML depth").
        what: String,
        /// The limit in force.
        limit: u64,
    },
    /// The text could not be decoded as any supported Chinese encoding.
    Encoding {
        /// What was found.
        detail: String,
    },
    /// The input was read but holds no disclosure report.
    NotAReport {
        /// What was looked for and not found.
        looked_for: String,
    },
}

impl Error {
    /// Creates an error of the given kind.
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
            path: None,
        }
    }

    /// An [`ErrorKind::UnsupportedFormat`].
    pub fn unsupported(format: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::UnsupportedFormat {
            format: format.into(),
            detail: detail.into(),
        })
    }

    /// An [`ErrorKind::Encrypted`].
    pub fn encrypted(format: impl Into<String>) -> Self {
        Error::new(ErrorKind::Encrypted {
            format: format.into(),
        })
    }

    /// An [`ErrorKind::Malformed`] without an underlying error.
    pub fn malformed(format: Format, part: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Malformed {
            format,
            part: part.into(),
            detail: detail.into(),
            source: None,
        })
    }

    /// An [`ErrorKind::Malformed`] caused by a dependency's error (kept behind `source()`).
    pub fn malformed_by(
        format: Format,
        part: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::new(ErrorKind::Malformed {
            format,
            part: part.into(),
            detail: source.to_string(),
            source: Some(Box::new(source)),
        })
    }

    /// An [`ErrorKind::LimitExceeded`].
    pub fn limit(what: impl Into<String>, limit: u64) -> Self {
        Error::new(ErrorKind::LimitExceeded {
            what: what.into(),
            limit,
        })
    }

    /// An [`ErrorKind::Encoding`].
    pub fn encoding(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Encoding {
            detail: detail.into(),
        })
    }

    /// An [`ErrorKind::NotAReport`].
    pub fn not_a_report(looked_for: impl Into<String>) -> Self {
        Error::new(ErrorKind::NotAReport {
            looked_for: looked_for.into(),
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, giving what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    /// The file the error concerns, when known.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Records the file the error concerns (kept if one is already recorded).
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.into());
        }
        self
    }

    /// Whether this is an I/O error.
    pub fn is_io(&self) -> bool {
        matches!(*self.kind, ErrorKind::Io(_))
    }

    /// A short, stable, snake_case name of the kind, for manifests and JSON
    /// (`io`, `unsupported_format`, `encrypted`, `malformed`, `limit_exceeded`,
    /// `encoding`, `not_a_report`).
    pub fn code(&self) -> &'static str {
        match *self.kind {
            ErrorKind::Io(_) => "io",
            ErrorKind::UnsupportedFormat { .. } => "unsupported_format",
            ErrorKind::Encrypted { .. } => "encrypted",
            ErrorKind::Malformed { .. } => "malformed",
            ErrorKind::LimitExceeded { .. } => "limit_exceeded",
            ErrorKind::Encoding { .. } => "encoding",
            ErrorKind::NotAReport { .. } => "not_a_report",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}: ", p.display())?;
        }
        match &*self.kind {
            ErrorKind::Io(e) => write!(f, "I/O error: {e}"),
            ErrorKind::UnsupportedFormat { format, detail } => {
                write!(f, "unsupported format: {format}")?;
                if !detail.is_empty() {
                    write!(f, " ({detail})")?;
                }
                Ok(())
            }
            ErrorKind::Encrypted { format } => {
                write!(f, "encrypted or password-protected {format} file")
            }
            ErrorKind::Malformed {
                format,
                part,
                detail,
                ..
            } => write!(f, "malformed {} file, in {part}: {detail}", format.name()),
            ErrorKind::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            ErrorKind::Encoding { detail } => write!(f, "cannot decode text: {detail}"),
            ErrorKind::NotAReport { looked_for } => {
                write!(f, "not a disclosure report: found no {looked_for}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Io(e) => Some(e),
            ErrorKind::Malformed {
                source: Some(s), ..
            } => Some(s.as_ref()),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small_and_displays_where() {
        assert!(std::mem::size_of::<Error>() <= 32);
        let e = Error::malformed(Format::Docx, "word/document.xml", "unexpected end")
            .with_path("a/b.docx");
        assert_eq!(
            e.to_string(),
            "a/b.docx: malformed DOCX file, in word/document.xml: unexpected end"
        );
        assert_eq!(e.code(), "malformed");
        assert_eq!(
            Error::limit("XML depth", 256).to_string(),
            "limit exceeded: XML depth (limit 256)"
        );
    }
}
