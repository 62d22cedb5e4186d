//! Readers: bytes of any supported format → [`Document`].
//!
//! [`read_bytes`] sniffs the format from the bytes (magic numbers first, the file name
//! only as a hint) and hands them to one module per format. A reader knows nothing about
//! reports.

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::Error;
use crate::limits::Limits;

pub mod doc;
pub mod docx;
pub mod html;
mod package;
pub mod sheet;
mod sniff;
pub mod text;

pub use sniff::sniff;

/// An input format the crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Word 2007+ document.
    Docx,
    /// Word 2007+ macro-enabled document.
    Docm,
    /// Word 2007+ template.
    Dotx,
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 2007+ macro-enabled workbook.
    Xlsm,
    /// Excel 2007+ binary workbook.
    Xlsb,
    /// Excel 97–2003 workbook (BIFF8).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Word 97–2003 document.
    Doc,
    /// WPS Office document (Word 97–2003 binary layout).
    Wps,
    /// HTML page.
    Html,
    /// MHTML web archive.
    Mhtml,
    /// Plain text.
    Text,
}

impl Format {
    /// The format's usual name, e.g. `DOCX`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "DOCX",
            Format::Docm => "DOCM",
            Format::Dotx => "DOTX",
            Format::Xlsx => "XLSX",
            Format::Xlsm => "XLSM",
            Format::Xlsb => "XLSB",
            Format::Xls => "XLS",
            Format::Ods => "ODS",
            Format::Doc => "DOC",
            Format::Wps => "WPS",
            Format::Html => "HTML",
            Format::Mhtml => "MHTML",
            Format::Text => "text",
        }
    }

    /// Whether the format is a spreadsheet.
    pub fn is_spreadsheet(self) -> bool {
        matches!(
            self,
            Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods
        )
    }
}

/// A document as read, with what was learnt about the input on the way.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Loaded {
    /// The document.
    pub document: Document,
    /// The format the bytes were read as.
    pub format: Format,
    /// The text encoding used (WHATWG name, lower case) for text and HTML, else `None`.
    pub encoding: Option<&'static str>,
}

/// Reads bytes of any supported format into a [`Document`], with default limits.
///
/// `name` (a file name or path) is a hint only; the bytes decide.
///
/// ```
/// let doc = disclosure_report::read::read_bytes("一、总体情况\n本年度……".as_bytes(), None)?;
/// assert_eq!(doc.paragraphs().count(), 2);
/// # Ok::<(), disclosure_report::Error>(())
/// ```
pub fn read_bytes(bytes: &[u8], name: Option<&str>) -> Result<Document, Error> {
    Ok(load(bytes, name, &Limits::default())?.document)
}

/// Reads bytes into a [`Loaded`] document under `limits`.
pub fn load(bytes: &[u8], name: Option<&str>, limits: &Limits) -> Result<Loaded, Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::limit("input size (bytes)", limits.max_input_bytes));
    }
    let format = sniff(bytes, name)?;
    let (document, encoding) = match format {
        Format::Docx | Format::Docm | Format::Dotx => (docx::read(bytes, limits)?, None),
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods => {
            (sheet::read(bytes, format, limits)?, None)
        }
        Format::Html | Format::Mhtml => {
            let (d, e) = html::read(bytes, format, limits)?;
            (d, Some(e))
        }
        Format::Text => {
            let (d, e) = text::read(bytes, limits)?;
            (d, Some(e))
        }
        Format::Doc | Format::Wps => (doc::read(bytes, format, limits)?, None),
    };
    Ok(Loaded {
        document,
        format,
        encoding,
    })
}
