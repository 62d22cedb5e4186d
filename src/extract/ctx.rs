//! What table readers record besides figures: provenance, warnings, extras, evidence.

use std::collections::BTreeMap;

use crate::model::{Extra, Pointer, Provenance, SmallString, Warning};

use super::lines::Frag;
use super::numbers::CellValue;

/// The side outputs of extraction.
#[derive(Debug, Default)]
pub struct Ctx {
    /// JSON Pointer → provenance, in the order recorded (a later entry for the same
    /// pointer replaces an earlier one: see [`Ctx::provenance_map`]).
    pub provenance: Vec<(Pointer, Provenance)>,
    /// Warnings in the order raised.
    pub warnings: Vec<Warning>,
    /// Rows not in the template.
    pub extras: Vec<Extra>,
    /// Template evidence found while reading tables.
    pub evidence: Vec<String>,
}

impl Ctx {
    /// The provenance as the report keeps it: sorted by pointer, the latest entry of a
    /// pointer kept (sorting once is cheaper than inserting each into a map).
    pub fn provenance_map(provenance: Vec<(Pointer, Provenance)>) -> BTreeMap<Pointer, Provenance> {
        // `collect` sorts stably and keeps the last of equal keys, as `insert` would.
        provenance.into_iter().collect()
    }

    /// Records a warning.
    pub fn warn(&mut self, code: &str, message: impl Into<String>, at: Option<impl Into<String>>) {
        self.warnings.push(Warning {
            code: code.to_string(),
            message: message.into(),
            at: at.map(Into::into),
        });
    }

    /// Records where a figure came from.
    pub fn read(&mut self, pointer: impl Into<Pointer>, frag: &Frag) {
        self.provenance.push((
            pointer.into(),
            Provenance {
                raw: Some(SmallString::from(&*frag.raw)),
                at: frag.at.place(),
                ..Provenance::default()
            },
        ));
    }

    /// Records a figure placed by the table's arithmetic.
    pub fn inferred(
        &mut self,
        pointer: impl Into<Pointer>,
        raw: Option<SmallString>,
        at: SmallString,
    ) {
        self.provenance.push((
            pointer.into(),
            Provenance {
                raw,
                at,
                inferred: true,
                ..Provenance::default()
            },
        ));
    }

    /// Records a figure read from a run of digits: `inferred` when the run had more
    /// than one split and the row's sums chose.
    pub fn read_run(&mut self, pointer: impl Into<Pointer>, raw: &str, at: &str, inferred: bool) {
        self.provenance.push((
            pointer.into(),
            Provenance {
                raw: Some(raw.into()),
                at: at.into(),
                inferred,
                ..Provenance::default()
            },
        ));
    }

    /// Records a derived figure.
    pub fn derived(&mut self, pointer: impl Into<Pointer>) {
        self.provenance.push((
            pointer.into(),
            Provenance {
                derived: true,
                ..Provenance::default()
            },
        ));
    }

    /// Adds an unknown row to `extras`.
    pub fn extra(&mut self, table: u8, label: &str, values: &[Frag]) {
        let at = values
            .first()
            .map(|f| String::from(f.at.place()))
            .unwrap_or_default();
        self.extras.push(Extra {
            table,
            label: label.to_string(),
            values: values.iter().map(number).collect(),
            at,
        });
    }
}

/// A fragment's numeric value, if it is a number.
pub fn number(f: &Frag) -> Option<f64> {
    match &f.value {
        Some(CellValue::Number(n)) => Some(n.value),
        _ => None,
    }
}

/// A fragment's value as a count: integers only; anything else is `None`.
pub fn count(f: &Frag) -> Option<i64> {
    match &f.value {
        Some(CellValue::Number(n)) => n.as_int(),
        _ => None,
    }
}

/// Whether a fragment is a blank cell.
pub fn is_blank(f: &Frag) -> bool {
    matches!(f.value, Some(CellValue::Blank))
}

/// Fits a row's value fragments to `n` slots: drops leading, then trailing blanks of a
/// grid row while there are too many. Returns `None` when the count still differs.
pub fn fit(mut vals: Vec<Frag<'_>>, n: usize) -> Result<Vec<Frag<'_>>, Vec<Frag<'_>>> {
    while vals.len() > n && vals.first().is_some_and(is_blank) {
        vals.remove(0);
    }
    while vals.len() > n && vals.last().is_some_and(is_blank) {
        vals.pop();
    }
    if vals.len() == n {
        Ok(vals)
    } else {
        Err(vals)
    }
}

/// Whether a label is narrative text rather than a table label.
pub fn is_narrative(norm: &str) -> bool {
    norm.chars().count() > 150 || norm.contains('。') || norm.contains('；')
}
