//! WordprocessingML (DOCX, DOCM, DOTX) → [`Document`].

use crate::document::Document;
use crate::error::Error;
use crate::limits::Limits;
use crate::read::Format;

/// Reads a DOCX package into a [`Document`].
pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document, Error> {
    Err(Error::unsupported(
        Format::Docx.name(),
        "the DOCX reader is not written yet",
    ))
}
