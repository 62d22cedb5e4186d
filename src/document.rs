//! The format-neutral document model.
//!
//! Every reader turns its input into a [`Document`]: an ordered list of [`Block`]s, each a
//! [`Paragraph`] or a [`Table`]. A table is a grid whose merged cells are resolved once,
//! here, for every format: a merged cell appears exactly once, at its top-left position,
//! with its row and column span. Readers place cells through a [`TableBuilder`] and never
//! build grids themselves.
//!
//! The model knows nothing about reports; extraction reads reports out of it.

use serde::Serialize;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use crate::error::Error;
use crate::model::SmallString;

/// A document: paragraphs and tables in reading order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
}

/// One block of a [`Document`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph (a line of text in plain-text input).
    Paragraph(Paragraph),
    /// A table with merges resolved.
    Table(Table),
}

/// A paragraph of text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    /// The paragraph's text, with runs joined and soft line breaks as `\n`.
    pub text: String,
    /// Where the paragraph stands in the input.
    pub origin: Origin,
}

/// Where a paragraph or cell stood in the input, for provenance and error messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// Nothing more precise than the block's position is known.
    #[default]
    Unknown,
    /// A line of a text file, counted from 1; `field` is the tab-separated field, from 0.
    Line {
        /// Line number, from 1.
        line: usize,
        /// Field number within the line, from 0 (0 for a whole line).
        field: usize,
    },
    /// A cell of a spreadsheet.
    Sheet {
        /// The sheet's name.
        sheet: String,
        /// Row, from 0.
        row: u32,
        /// Column, from 0.
        col: u32,
    },
    /// A part of a package (e.g. `word/document.xml`), optionally with a byte offset.
    Part {
        /// The part's name in the package, shared by every block of the part.
        part: Arc<str>,
        /// Byte offset in the part, when known.
        offset: Option<u64>,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Unknown => f.write_str("?"),
            Origin::Line { line, field } if *field == 0 => write!(f, "line {line}"),
            Origin::Line { line, field } => write!(f, "line {line}, field {}", field + 1),
            Origin::Sheet { sheet, row, col } => {
                write!(f, "{sheet}!{}{}", column_letters(*col), row + 1)
            }
            Origin::Part {
                part,
                offset: Some(o),
            } => write!(f, "{part} @{o}"),
            Origin::Part { part, offset: None } => f.write_str(part),
        }
    }
}

/// Spreadsheet column letters for a 0-based column (0 → `A`, 27 → `AB`).
pub fn column_letters(col: u32) -> String {
    let mut out = String::with_capacity(3);
    push_column_letters(&mut out, col);
    out
}

/// Appends [`column_letters`] of `col` to `out` (a `String`, a
/// [`SmallString`]…), without a string of its own.
pub fn push_column_letters(out: &mut impl std::fmt::Write, col: u32) {
    // At most 7 letters for a u32 (26^7 > 2^32).
    let mut letters = [0u8; 8];
    let mut start = letters.len();
    let mut n = u64::from(col) + 1;
    for l in letters.iter_mut().rev() {
        *l = b'A' + ((n - 1) % 26) as u8;
        start -= 1;
        n = (n - 1) / 26;
        if n == 0 {
            break;
        }
    }
    let letters = std::str::from_utf8(letters.get(start..).unwrap_or_default()).unwrap_or_default();
    // Writing to a string cannot fail; another writer's error is its own to report.
    let _ = out.write_str(letters);
}

/// A table: a grid of `rows × cols` positions covered by [`Cell`]s.
///
/// Cells are stored in row-major order of their top-left position. A position covered by
/// no cell (a ragged row) is simply empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Number of grid rows.
    pub rows: usize,
    /// Number of grid columns.
    pub cols: usize,
    /// The cells, each once, in row-major order of their top-left position.
    pub cells: Vec<Cell>,
    /// Where the table stood in the input (its first cell, or its part).
    pub origin: Origin,
    /// Whether the table was rebuilt from plain text (tab-separated lines). In such a
    /// table an empty field may stand for a merged cell rather than a blank one, and rows
    /// may have lost leading empty fields, so positions carry less meaning than in a grid
    /// read from DOCX, HTML or a spreadsheet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_text: bool,
}

/// One cell of a [`Table`], at its top-left grid position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Grid row of the top-left position, from 0.
    pub row: usize,
    /// Grid column of the top-left position, from 0.
    pub col: usize,
    /// Number of grid rows the cell covers (≥ 1).
    pub row_span: usize,
    /// Number of grid columns the cell covers (≥ 1).
    pub col_span: usize,
    /// The cell's text; paragraphs inside the cell are joined by `\n`. A
    /// [`SmallString`]: most cells are a number or a short
    /// label, kept without an allocation of their own.
    pub text: SmallString,
    /// Where the cell stood in the input.
    pub origin: Origin,
    /// Tables nested inside this cell, kept apart from the outer grid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nested: Vec<Table>,
}

impl Table {
    /// The cells whose top-left position is in grid row `row`, left to right.
    pub fn row_cells(&self, row: usize) -> impl Iterator<Item = &Cell> {
        let start = self.cells.partition_point(|c| c.row < row);
        self.cells[start..].iter().take_while(move |c| c.row == row)
    }

    /// The cell covering grid position (`row`, `col`), if any.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            row >= c.row && row < c.row + c.row_span && col >= c.col && col < c.col + c.col_span
        })
    }
}

impl Document {
    /// A stable, readable text dump: one line per block, cells as `r,c[rs×cs]: text`.
    ///
    /// Used for golden files, so that a reader change shows as a readable diff.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(p) => {
                    let _ = writeln!(out, "P {}", p.text.replace('\n', "⏎"));
                }
                Block::Table(t) => dump_table(&mut out, t, 0),
            }
        }
        out
    }

    /// All paragraphs' text, in order (tables left out).
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    /// All top-level tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }
}

fn dump_table(out: &mut String, t: &Table, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}T {}x{}", t.rows, t.cols);
    for c in &t.cells {
        let _ = writeln!(
            out,
            "{pad}  {},{}[{}x{}]: {}",
            c.row,
            c.col,
            c.row_span,
            c.col_span,
            c.text.replace('\n', "⏎")
        );
        for n in &c.nested {
            dump_table(out, n, depth + 2);
        }
    }
}

/// A grid position no cell covers.
const FREE: usize = usize::MAX;

/// Grows a grid row to `len` free positions at least; a row's first growth reserves the
/// table's width so far, so that a row filled cell by cell is allocated once.
fn widen(line: &mut Vec<usize>, len: usize, width: usize) {
    if line.len() < len {
        if line.capacity() < len {
            line.reserve(width.max(len) - line.len());
        }
        line.resize(len, FREE);
    }
}

/// Builds a [`Table`] from cells placed by a reader, resolving merges once for all formats.
///
/// Two ways to place cells, which may be mixed:
/// - flow placement, as HTML and WordprocessingML describe rows: [`start_row`](Self::start_row)
///   then [`push`](Self::push) each cell; positions still covered by a cell spanning down
///   from an earlier row are skipped, as an HTML `rowspan` requires;
/// - absolute placement with [`place`](Self::place), as spreadsheets give merged regions.
///
/// A DOCX `w:vMerge="continue"` cell is [`merge_up`](Self::merge_up): it extends the cell
/// above instead of creating one. Overlaps are resolved in favour of the cell placed first;
/// the later one is shrunk or dropped, so a cell never appears twice.
#[derive(Debug)]
pub struct TableBuilder {
    cells: Vec<Cell>,
    /// For each grid row, which cell (index into `cells`) covers each column; [`FREE`]
    /// where none does.
    grid: Vec<Vec<usize>>,
    /// Widest row of `grid`, kept up to date so that placement stays linear.
    width: usize,
    row: Option<usize>,
    col: usize,
    max_cells: usize,
    origin: Origin,
    from_text: bool,
}

impl TableBuilder {
    /// A builder that allows at most `max_cells` grid positions (the product of rows and
    /// columns covered); beyond that, placement fails with [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded).
    pub fn new(max_cells: usize) -> Self {
        TableBuilder {
            cells: Vec::new(),
            grid: Vec::new(),
            width: 0,
            row: None,
            col: 0,
            max_cells,
            origin: Origin::Unknown,
            from_text: false,
        }
    }

    /// Sets the table's origin.
    pub fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }

    /// Marks the table as rebuilt from plain text (see [`Table::from_text`]).
    pub fn set_from_text(&mut self, from_text: bool) {
        self.from_text = from_text;
    }

    /// Starts the next row for flow placement.
    pub fn start_row(&mut self) {
        let next = self.row.map_or(0, |r| r + 1);
        self.row = Some(next);
        self.col = 0;
        self.ensure_rows(next + 1);
    }

    /// The current flow row (0-based), if a row was started.
    pub fn current_row(&self) -> Option<usize> {
        self.row
    }

    /// The next free column of the current flow row.
    pub fn current_col(&self) -> usize {
        self.col
    }

    /// Skips `n` grid columns in the current flow row (DOCX `w:gridBefore`).
    pub fn skip_cols(&mut self, n: usize) {
        self.col = self.col.saturating_add(n);
    }

    /// Places a cell at the next free position of the current row (flow placement) and
    /// returns its grid column. Starts a row if none was started.
    pub fn push(
        &mut self,
        text: impl Into<SmallString>,
        row_span: usize,
        col_span: usize,
        origin: Origin,
    ) -> Result<usize, Error> {
        let row = match self.row {
            Some(r) => r,
            None => {
                self.start_row();
                0
            }
        };
        while self.occupied(row, self.col) {
            self.col += 1;
        }
        let col = self.col;
        self.place(row, col, row_span, col_span, text.into(), origin)?;
        self.col = col.saturating_add(col_span.max(1));
        Ok(col)
    }

    /// Places a cell at an absolute grid position. A cell overlapping one placed earlier is
    /// shrunk to the free part of its first row, or dropped when its top-left is taken.
    pub fn place(
        &mut self,
        row: usize,
        col: usize,
        row_span: usize,
        col_span: usize,
        text: impl Into<SmallString>,
        origin: Origin,
    ) -> Result<(), Error> {
        let text = text.into();
        let row_span = row_span.max(1);
        let mut col_span = col_span.max(1);
        if self.occupied(row, col) {
            return Ok(());
        }
        if row_span == 1 && col_span == 1 {
            return self.place_one(row, col, text, origin);
        }
        // Shrink horizontally to the free run in the first row.
        for c in col..col.saturating_add(col_span) {
            if self.occupied(row, c) {
                col_span = c - col;
                break;
            }
        }
        // Shrink vertically to rows where the whole width is free.
        let mut rs = 1;
        while rs < row_span && (col..col + col_span).all(|c| !self.occupied(row + rs, c)) {
            rs += 1;
        }
        let row_span = rs;
        let area = row_span.saturating_mul(col_span);
        let covered = self
            .grid
            .len()
            .max(row + row_span)
            .saturating_mul(self.width.max(col + col_span));
        if area > self.max_cells || covered > self.max_cells {
            return Err(Error::limit("table cells", self.max_cells as u64));
        }
        let idx = self.cells.len();
        self.ensure_rows(row + row_span);
        let width = self.width;
        for r in row..row + row_span {
            let line = &mut self.grid[r];
            widen(line, col + col_span, width);
            self.width = self.width.max(line.len());
            for slot in &mut line[col..col + col_span] {
                *slot = idx;
            }
        }
        self.cells.push(Cell {
            row,
            col,
            row_span,
            col_span,
            text,
            origin,
            nested: Vec::new(),
        });
        Ok(())
    }

    /// [`place`](Self::place) of a 1×1 cell at a free position: the commonest case (every
    /// cell of a plain-text table, most cells of a grid), without the shrinking loops.
    fn place_one(
        &mut self,
        row: usize,
        col: usize,
        text: SmallString,
        origin: Origin,
    ) -> Result<(), Error> {
        let covered = self
            .grid
            .len()
            .max(row.saturating_add(1))
            .saturating_mul(self.width.max(col.saturating_add(1)));
        if self.max_cells == 0 || covered > self.max_cells {
            return Err(Error::limit("table cells", self.max_cells as u64));
        }
        let idx = self.cells.len();
        self.ensure_rows(row + 1);
        let width = self.width;
        if let Some(line) = self.grid.get_mut(row) {
            widen(line, col + 1, width);
            self.width = self.width.max(line.len());
            if let Some(slot) = line.get_mut(col) {
                *slot = idx;
            }
        }
        self.cells.push(Cell {
            row,
            col,
            row_span: 1,
            col_span: 1,
            text,
            origin,
            nested: Vec::new(),
        });
        Ok(())
    }

    /// Extends the cell covering (`row − 1`, `col`) down over (`row`, `col`) — a DOCX
    /// `w:vMerge` continuation — and returns that cell's column span. Returns `None`
    /// (and does nothing) when there is no such cell or it does not start at `col`.
    pub fn merge_up(&mut self, row: usize, col: usize) -> Option<usize> {
        let above = row.checked_sub(1)?;
        let idx = *self.grid.get(above)?.get(col)?;
        if idx == FREE {
            return None;
        }
        let cell = self.cells.get(idx)?;
        if cell.col != col || cell.row + cell.row_span != row {
            return None;
        }
        let span = cell.col_span;
        if (col..col + span).any(|c| self.occupied(row, c)) {
            return None;
        }
        self.ensure_rows(row + 1);
        let width = self.width;
        let line = &mut self.grid[row];
        widen(line, col + span, width);
        self.width = self.width.max(line.len());
        for slot in &mut line[col..col + span] {
            *slot = idx;
        }
        if let Some(cell) = self.cells.get_mut(idx) {
            cell.row_span += 1;
        }
        Some(span)
    }

    /// Moves the flow cursor past `n` columns after a [`merge_up`](Self::merge_up).
    pub fn advance(&mut self, n: usize) {
        self.col = self.col.saturating_add(n);
    }

    /// Attaches a nested table to the most recently placed cell.
    pub fn nest_in_last(&mut self, table: Table) {
        if let Some(c) = self.cells.last_mut() {
            c.nested.push(table);
        }
    }

    /// Appends text to the most recently placed cell (a cell's content arriving in parts).
    pub fn last_cell_mut(&mut self) -> Option<&mut Cell> {
        self.cells.last_mut()
    }

    /// Number of cells placed so far.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether no cell was placed.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Finishes the table: cells sorted row-major, trailing empty rows dropped.
    pub fn build(self) -> Table {
        let mut cells = self.cells;
        cells.sort_by_key(|c| (c.row, c.col));
        let rows = cells.iter().map(|c| c.row + c.row_span).max().unwrap_or(0);
        let cols = cells.iter().map(|c| c.col + c.col_span).max().unwrap_or(0);
        let origin = match self.origin {
            Origin::Unknown => cells.first().map(|c| c.origin.clone()).unwrap_or_default(),
            o => o,
        };
        Table {
            rows,
            cols,
            cells,
            origin,
            from_text: self.from_text,
        }
    }

    fn occupied(&self, row: usize, col: usize) -> bool {
        self.grid
            .get(row)
            .and_then(|r| r.get(col))
            .is_some_and(|i| *i != FREE)
    }

    fn ensure_rows(&mut self, n: usize) {
        if self.grid.len() < n {
            self.grid.resize_with(n, Vec::new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn flow_placement_skips_rowspans() {
        let mut b = TableBuilder::new(1000);
        b.start_row();
        b.push(t("A"), 2, 1, Origin::Unknown).unwrap();
        b.push(t("B"), 1, 2, Origin::Unknown).unwrap();
        b.start_row();
        let c = b.push(t("C"), 1, 1, Origin::Unknown).unwrap();
        assert_eq!(c, 1, "C must skip the column covered by A's rowspan");
        b.push(t("D"), 1, 1, Origin::Unknown).unwrap();
        let table = b.build();
        assert_eq!((table.rows, table.cols), (2, 3));
        assert_eq!(table.cell_at(1, 0).map(|c| c.text.as_str()), Some("A"));
        assert_eq!(table.cell_at(0, 2).map(|c| c.text.as_str()), Some("B"));
        assert_eq!(table.cell_at(1, 2).map(|c| c.text.as_str()), Some("D"));
        assert_eq!(table.cells.len(), 4);
        assert_eq!(
            table
                .row_cells(1)
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["C", "D"]
        );
    }

    #[test]
    fn merge_up_extends_cell_above() {
        let mut b = TableBuilder::new(1000);
        b.start_row();
        b.push(t("A"), 1, 2, Origin::Unknown).unwrap();
        b.push(t("B"), 1, 1, Origin::Unknown).unwrap();
        b.start_row();
        assert_eq!(b.merge_up(1, 0), Some(2));
        b.advance(2);
        b.push(t("C"), 1, 1, Origin::Unknown).unwrap();
        let table = b.build();
        let a = table.cell_at(1, 1).unwrap();
        assert_eq!((a.text.as_str(), a.row_span, a.col_span), ("A", 2, 2));
        assert_eq!(table.cell_at(1, 2).unwrap().text, "C");
        assert_eq!(table.cells.len(), 3);
    }

    #[test]
    fn overlapping_placement_never_duplicates() {
        let mut b = TableBuilder::new(1000);
        b.place(0, 0, 2, 2, t("A"), Origin::Unknown).unwrap();
        b.place(1, 1, 2, 2, t("B"), Origin::Unknown).unwrap(); // top-left taken: dropped
        b.place(0, 1, 1, 3, t("C"), Origin::Unknown).unwrap(); // top-left taken: dropped
        b.place(1, 2, 1, 1, t("D"), Origin::Unknown).unwrap();
        let table = b.build();
        assert_eq!(table.cells.len(), 2);
        assert_eq!(table.cell_at(1, 1).unwrap().text, "A");
        assert_eq!(table.cell_at(1, 2).unwrap().text, "D");
    }

    #[test]
    fn cell_limit_is_an_error() {
        let mut b = TableBuilder::new(10);
        assert!(b.place(0, 0, 1, 11, t("x"), Origin::Unknown).is_err());
        assert!(b.place(100, 100, 1, 1, t("x"), Origin::Unknown).is_err());
    }

    #[test]
    fn origins_display() {
        let o = Origin::Sheet {
            sheet: t("表三"),
            row: 6,
            col: 27,
        };
        assert_eq!(o.to_string(), "表三!AB7");
        assert_eq!(Origin::Line { line: 5, field: 0 }.to_string(), "line 5");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(column_letters(u32::MAX), "MWLQKWV");
    }
}
