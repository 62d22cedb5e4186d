//! HTML and MHTML → [`Document`].

use crate::document::Document;
use crate::error::Error;
use crate::limits::Limits;
use crate::read::Format;

/// Reads an HTML page (or the HTML part of an MHTML archive) into a [`Document`],
/// returning the text encoding used.
pub fn read(
    _bytes: &[u8],
    format: Format,
    _limits: &Limits,
) -> Result<(Document, &'static str), Error> {
    Err(Error::unsupported(
        format.name(),
        "the HTML reader is not written yet",
    ))
}
