//! Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) → [`Document`], through calamine.

use crate::document::Document;
use crate::error::Error;
use crate::limits::Limits;
use crate::read::Format;

/// Reads a workbook into a [`Document`].
pub fn read(_bytes: &[u8], format: Format, _limits: &Limits) -> Result<Document, Error> {
    Err(Error::unsupported(
        format.name(),
        "the spreadsheet reader is not written yet",
    ))
}
