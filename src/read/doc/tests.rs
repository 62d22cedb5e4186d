//! Unit tests of the DOC reader.
