//! Read Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) into a typed [`Report`] and JSON.
#![deny(missing_docs)]

pub mod document;
mod error;
mod limits;
pub mod read;

pub use document::Document;
pub use error::{Error, ErrorKind};
pub use limits::{Deadline, Limits};
pub use read::Format;
