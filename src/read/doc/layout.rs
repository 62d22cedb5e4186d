//! Paragraphs with their table properties → blocks.
//!
//! Rows are collected until their table ends, then placed on one grid made of every
//! cell boundary of the table (from each row's `sprmTDefTable`), so that a wide cell
//! spans the columns it covers; horizontally merged cells (`horzMerge`) join the first
//! one and vertically merged ones (`vertMerge`) extend the cell above. A row without a
//! usable layout is placed cell after cell.

use crate::document::{Block, Document, Origin, Paragraph, Table, TableBuilder};
use crate::error::Error;

use super::papx::{ParaProps, RowLayout};

/// The part named in origins.
const PART: &str = "WordDocument";

/// Boundaries closer than this (twips) are the same grid line.
const SNAP: i32 = 20;

/// Builds the document's blocks from its paragraphs.
pub(super) struct Layout {
    blocks: Vec<Block>,
    /// Open tables, outermost first.
    tables: Vec<OpenTable>,
    max_cells: usize,
    /// The previous paragraph ended a cell (for the heuristic without properties).
    prev_cell_end: bool,
    /// Paragraphs without properties read right after a row end: the first cell of the
    /// next row if a cell mark follows, else body paragraphs after the table.
    pending: Vec<(String, u32)>,
}

#[derive(Default)]
struct OpenTable {
    rows: Vec<Row>,
    /// Cells of the row being read.
    cells: Vec<PendingCell>,
    /// The cell being read, once it has a paragraph.
    cell: Option<PendingCell>,
}

struct Row {
    cells: Vec<PendingCell>,
    layout: Option<RowLayout>,
}

struct PendingCell {
    text: String,
    offset: u32,
    nested: Vec<Table>,
    /// Some of the cell's text was a tracked deletion.
    deleted: bool,
}

impl OpenTable {
    fn cell_mut(&mut self, offset: u32) -> &mut PendingCell {
        self.cell.get_or_insert_with(|| PendingCell {
            text: String::new(),
            offset,
            nested: Vec::new(),
            deleted: false,
        })
    }

    fn row_open(&self) -> bool {
        self.cell.is_some() || !self.cells.is_empty()
    }
}

fn origin(offset: u32) -> Origin {
    thread_local! {
        static NAME: std::sync::Arc<str> = std::sync::Arc::from(PART);
    }
    Origin::Part {
        part: NAME.with(std::sync::Arc::clone),
        offset: Some(u64::from(offset)),
    }
}

impl Layout {
    pub fn new(max_cells: usize) -> Self {
        Layout {
            blocks: Vec::new(),
            tables: Vec::new(),
            max_cells,
            prev_cell_end: false,
            pending: Vec::new(),
        }
    }

    /// One paragraph: its text, the offset of its first character, whether its mark is
    /// a cell mark (0x07), whether some of its text was a tracked deletion, and its
    /// properties (`None` when unknown).
    pub fn paragraph(
        &mut self,
        text: String,
        offset: u32,
        cell_mark: bool,
        deleted: bool,
        props: Option<ParaProps>,
    ) -> Result<(), Error> {
        let props = match props {
            Some(p) => p,
            None => {
                let in_row = self.tables.last().is_some_and(OpenTable::row_open);
                if !cell_mark && !self.tables.is_empty() && !in_row {
                    self.pending.push((text, offset));
                    return Ok(());
                }
                let guessed = self.guess(&text, cell_mark);
                if guessed.depth() > 0 && !self.pending.is_empty() {
                    let pending = std::mem::take(&mut self.pending);
                    if let Some(t) = self.tables.last_mut() {
                        for (text, offset) in pending {
                            let cell = t.cell_mut(offset);
                            if !text.trim().is_empty() {
                                if !cell.text.is_empty() {
                                    cell.text.push('\n');
                                }
                                cell.text.push_str(&text);
                            }
                        }
                    }
                }
                guessed
            }
        };
        self.flush_pending()?;
        let depth = props.depth();
        while self.tables.len() > depth {
            self.close_table()?;
        }
        while self.tables.len() < depth {
            if let Some(parent) = self.tables.last_mut() {
                parent.cell_mut(offset);
            }
            self.tables.push(OpenTable::default());
        }
        let Some(table) = self.tables.last_mut() else {
            self.prev_cell_end = false;
            if !text.trim().is_empty() {
                self.blocks.push(Block::Paragraph(Paragraph {
                    text,
                    origin: origin(offset),
                }));
            }
            return Ok(());
        };
        let (row_end, cell_end) = if depth == 1 {
            (props.ttp, cell_mark && !props.ttp)
        } else {
            (
                props.inner_ttp,
                !props.inner_ttp && (props.inner_cell || cell_mark),
            )
        };
        if row_end {
            if let Some(cell) = table.cell.take() {
                table.cells.push(cell);
            }
            let cells = std::mem::take(&mut table.cells);
            // A row deleted as a tracked change: nothing left but empty cells.
            let deleted_row = cells.iter().any(|c| c.deleted)
                && cells
                    .iter()
                    .all(|c| c.text.trim().is_empty() && c.nested.is_empty());
            if !cells.is_empty() && !deleted_row {
                table.rows.push(Row {
                    cells,
                    layout: props.row,
                });
            }
            self.prev_cell_end = false;
            return Ok(());
        }
        let cell = table.cell_mut(offset);
        cell.deleted |= deleted;
        if !text.trim().is_empty() {
            if !cell.text.is_empty() {
                cell.text.push('\n');
            }
            cell.text.push_str(&text);
        }
        if cell_end {
            if let Some(cell) = table.cell.take() {
                table.cells.push(cell);
            }
        }
        self.prev_cell_end = cell_end;
        Ok(())
    }

    /// Places paragraphs held after a row end as body paragraphs, closing the tables.
    fn flush_pending(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        while !self.tables.is_empty() {
            self.close_table()?;
        }
        for (text, offset) in std::mem::take(&mut self.pending) {
            if !text.trim().is_empty() {
                self.blocks.push(Block::Paragraph(Paragraph {
                    text,
                    origin: origin(offset),
                }));
            }
        }
        Ok(())
    }

    /// Properties guessed without the file's: a cell mark ends a cell, and an empty
    /// "cell" right after a cell end ends the row; a paragraph mark inside an open row
    /// belongs to its cell.
    fn guess(&self, text: &str, cell_mark: bool) -> ParaProps {
        let depth = self.tables.len().max(1) as u32;
        let in_row = self.tables.last().is_some_and(OpenTable::row_open);
        let mut p = ParaProps::default();
        if cell_mark {
            p.in_table = true;
            p.itap = Some(depth);
            if self.prev_cell_end && text.is_empty() {
                if depth == 1 {
                    p.ttp = true;
                } else {
                    p.inner_ttp = true;
                }
            } else if depth > 1 {
                p.inner_cell = true;
            }
        } else if in_row {
            p.in_table = true;
            p.itap = Some(depth);
        }
        p
    }

    fn close_table(&mut self) -> Result<(), Error> {
        let Some(mut open) = self.tables.pop() else {
            return Ok(());
        };
        if let Some(cell) = open.cell.take() {
            open.cells.push(cell);
        }
        if !open.cells.is_empty() {
            open.rows.push(Row {
                cells: std::mem::take(&mut open.cells),
                layout: None,
            });
        }
        let Some(table) = place(open.rows, self.max_cells)? else {
            return Ok(());
        };
        match self.tables.last_mut() {
            Some(parent) => {
                let offset = table.cells.first().map_or(0, |c| match c.origin {
                    Origin::Part {
                        offset: Some(o), ..
                    } => o as u32,
                    _ => 0,
                });
                parent.cell_mut(offset).nested.push(table);
            }
            None => self.blocks.push(Block::Table(table)),
        }
        Ok(())
    }

    /// Closes open tables and returns the document.
    pub fn finish(mut self) -> Result<Document, Error> {
        self.flush_pending()?;
        while !self.tables.is_empty() {
            self.close_table()?;
        }
        Ok(Document {
            blocks: self.blocks,
        })
    }
}

/// A row's layout when it matches its cells.
fn usable(row: &Row) -> Option<&RowLayout> {
    row.layout
        .as_ref()
        .filter(|l| l.bounds.len() == row.cells.len() + 1)
        .filter(|l| l.bounds.windows(2).all(|w| w[0] <= w[1]))
}

/// Places the rows of one table on its grid; `None` when no cell was read.
fn place(rows: Vec<Row>, max_cells: usize) -> Result<Option<Table>, Error> {
    if rows.iter().all(|r| r.cells.is_empty()) {
        return Ok(None);
    }
    // Grid lines: every boundary of every row with a usable layout, snapped.
    let mut lines: Vec<i32> = rows
        .iter()
        .filter_map(usable)
        .flat_map(|l| l.bounds.iter().map(|b| i32::from(*b)))
        .collect();
    lines.sort_unstable();
    let mut grid: Vec<i32> = Vec::new();
    for x in lines {
        if grid.last().is_none_or(|g| x - g > SNAP) {
            grid.push(x);
        }
    }
    let column = |x: i16| -> usize {
        let x = i32::from(x);
        grid.partition_point(|g| *g < x - SNAP)
    };
    let mut builder = TableBuilder::new(max_cells);
    if let Some(first) = rows.iter().flat_map(|r| r.cells.first()).next() {
        builder.set_origin(origin(first.offset));
    }
    let mut r = 0usize;
    for row in rows {
        if row.cells.is_empty() {
            continue;
        }
        builder.start_row();
        let Some(layout) = usable(&row).cloned() else {
            for cell in row.cells {
                builder.push(cell.text, 1, 1, origin(cell.offset))?;
                for n in cell.nested {
                    builder.nest_in_last(n);
                }
            }
            r += 1;
            continue;
        };
        // (first column, last boundary, flags, cell), horizontal merges folded in.
        let mut placed: Vec<(usize, i16, u16, PendingCell)> = Vec::new();
        for (i, cell) in row.cells.into_iter().enumerate() {
            let (Some(left), Some(right)) = (layout.bounds.get(i), layout.bounds.get(i + 1)) else {
                continue;
            };
            let flags = layout.flags.get(i).copied().unwrap_or(0);
            // horzMerge 2 or 3: merged into the cell before it.
            if flags & 0x3 >= 2 && cell.text.trim().is_empty() {
                if let Some(prev) = placed.last_mut() {
                    prev.1 = *right;
                    prev.3.nested.extend(cell.nested);
                    continue;
                }
            }
            placed.push((column(*left), *right, flags, cell));
        }
        for (col, right, flags, cell) in placed {
            let span = column(right).saturating_sub(col).max(1);
            // vertMerge 1: continues the cell above.
            if (flags >> 5) & 0x3 == 1
                && cell.text.trim().is_empty()
                && cell.nested.is_empty()
                && builder.merge_up(r, col).is_some()
            {
                continue;
            }
            builder.place(r, col, 1, span, cell.text, origin(cell.offset))?;
            for n in cell.nested {
                builder.nest_in_last(n);
            }
        }
        r += 1;
    }
    Ok(Some(builder.build()))
}
