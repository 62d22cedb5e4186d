//! Paragraph properties: `PlcfBtePapx` → FKP pages → PAPX → the few sprms that say
//! whether a paragraph is in a table, ends a cell or ends a row, and the row's layout.

use super::fkp::{BinTable, PAGE};
use super::{le16, le32};

/// `sprmPFInTable`: the paragraph is in a table.
const SPRM_IN_TABLE: u16 = 0x2416;
/// `sprmPFTtp`: the paragraph is a (top-level) table's row-end mark.
const SPRM_TTP: u16 = 0x2417;
/// `sprmPItap`: table nesting depth.
const SPRM_ITAP: u16 = 0x6649;
/// `sprmPDtap`: change of table nesting depth.
const SPRM_DTAP: u16 = 0x664A;
/// `sprmPFInnerTableCell`: the paragraph ends a cell of a nested table.
const SPRM_INNER_CELL: u16 = 0x244B;
/// `sprmPFInnerTtp`: the paragraph ends a row of a nested table.
const SPRM_INNER_TTP: u16 = 0x244C;
/// `sprmPHugePapx`: the properties are in the `Data` stream.
const SPRM_HUGE_PAPX: u16 = 0x6646;
/// `sprmTDefTable`: cell boundaries and cell properties of a row.
const SPRM_DEF_TABLE: u16 = 0xD608;
/// `sprmTVertMerge`: sets one cell's vertical merge after `sprmTDefTable`.
const SPRM_VERT_MERGE: u16 = 0xD62B;
/// `sprmPChgTabs`: variable operand with its own size rules.
const SPRM_CHG_TABS: u16 = 0xC615;

/// The properties of one paragraph that matter for structure.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ParaProps {
    /// In a table (`sprmPFInTable`).
    pub in_table: bool,
    /// Row end of a top-level table (`sprmPFTtp`).
    pub ttp: bool,
    /// Table nesting depth (`sprmPItap`), when given.
    pub itap: Option<u32>,
    /// Ends a cell of a nested table.
    pub inner_cell: bool,
    /// Ends a row of a nested table.
    pub inner_ttp: bool,
    /// The row's cells, from `sprmTDefTable` (on row-end paragraphs).
    pub row: Option<RowLayout>,
}

impl ParaProps {
    /// Table nesting depth: 0 outside tables.
    pub fn depth(&self) -> usize {
        if !self.in_table {
            return 0;
        }
        self.itap.map_or(1, |d| (d as usize).clamp(1, 64))
    }
}

/// A row's cells as `sprmTDefTable` gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RowLayout {
    /// Cell boundaries in twips, one more than cells.
    pub bounds: Vec<i16>,
    /// Each cell's `TCGRF` flags (horizontal and vertical merge).
    pub flags: Vec<u16>,
}

/// Looks up paragraph properties by byte offset in `WordDocument`.
pub(super) struct Papx<'a> {
    bins: BinTable<'a>,
    data: Option<&'a [u8]>,
}

impl<'a> Papx<'a> {
    /// Reads the `PlcfBtePapx` at `bte` (offset, length) in the table stream. A missing
    /// or damaged one leaves every lookup `None`.
    pub fn new(word: &'a [u8], table: &[u8], data: Option<&'a [u8]>, bte: (u32, u32)) -> Self {
        Papx {
            bins: BinTable::new(word, table, bte),
            data,
        }
    }

    /// The properties of the paragraph holding the character at byte `fc` of
    /// `WordDocument`, or `None` when the file does not say.
    ///
    /// Nothing is cached: one lookup is a binary search in the BTE, one in the FKP page
    /// and one PAPX parsed, so memory stays flat whatever the file claims.
    pub fn lookup(&self, fc: u32) -> Option<ParaProps> {
        let page = self.bins.page_for(fc)?;
        let crun = usize::from(*page.get(PAGE - 1)?);
        let rgbx = (crun + 1) * 4;
        if crun == 0 || rgbx + crun * 13 > PAGE - 1 {
            return None;
        }
        // The run whose start is at or before `fc`, and which ends after it.
        let runs: Vec<u32> = (0..=crun).map_while(|k| le32(page, k * 4)).collect();
        let j = runs.partition_point(|f| *f <= fc).checked_sub(1)?;
        if j >= crun || runs.get(j + 1).is_some_and(|end| *end <= fc) {
            return None;
        }
        let b_offset = usize::from(*page.get(rgbx + j * 13)?) * 2;
        let mut p = ParaProps::default();
        if b_offset != 0 {
            if let Some(grpprl) = papx_in_fkp(page, b_offset) {
                self.apply(grpprl, &mut p, true);
            }
        }
        Some(p)
    }

    /// Applies the sprms of `grpprl` to `p`; `follow_huge` allows one hop to the
    /// `Data` stream for `sprmPHugePapx`.
    fn apply(&self, grpprl: &[u8], p: &mut ParaProps, follow_huge: bool) {
        let mut at = 0;
        while let Some(sprm) = le16(grpprl, at) {
            let op_at = at + 2;
            let Some(len) = operand_len(sprm, grpprl, op_at) else {
                return;
            };
            let Some(op) = grpprl.get(op_at..op_at + len) else {
                return;
            };
            let byte = op.first().copied().unwrap_or(0);
            match sprm {
                SPRM_IN_TABLE => p.in_table = byte != 0,
                SPRM_TTP => p.ttp = byte != 0,
                SPRM_INNER_CELL => p.inner_cell = byte != 0,
                SPRM_INNER_TTP => p.inner_ttp = byte != 0,
                SPRM_ITAP => p.itap = le32(op, 0),
                SPRM_DTAP => {
                    if let Some(d) = le32(op, 0) {
                        let now = i64::from(p.itap.unwrap_or(0)) + i64::from(d as i32);
                        p.itap = u32::try_from(now.max(0)).ok();
                    }
                }
                SPRM_DEF_TABLE => p.row = def_table(op),
                SPRM_VERT_MERGE => {
                    // cb, itc, vertMerge.
                    if let (Some(itc), Some(merge), Some(row)) = (op.get(1), op.get(2), &mut p.row)
                    {
                        if let Some(f) = row.flags.get_mut(usize::from(*itc)) {
                            *f = (*f & !0x60) | (u16::from(*merge & 0x3) << 5);
                        }
                    }
                }
                SPRM_HUGE_PAPX if follow_huge => {
                    if let (Some(data), Some(off)) = (self.data, le32(op, 0)) {
                        let off = off as usize;
                        if let Some(cb) = le16(data, off) {
                            let start = off + 2;
                            if let Some(g) = data.get(start..start + usize::from(cb)) {
                                self.apply(g, p, false);
                            }
                        }
                    }
                }
                _ => {}
            }
            at = op_at + len;
        }
    }
}

/// The `grpprl` of the `PapxInFkp` at `offset` of an FKP page (its `istd` skipped).
fn papx_in_fkp(page: &[u8], offset: usize) -> Option<&[u8]> {
    let cb = usize::from(*page.get(offset)?);
    let (start, len) = if cb == 0 {
        (offset + 2, usize::from(*page.get(offset + 1)?) * 2)
    } else {
        (offset + 1, cb * 2 - 1)
    };
    let grp = page.get(start..(start + len).min(PAGE - 1))?;
    grp.get(2..)
}

/// The operand length of `sprm` whose operand starts at `at` of `grpprl`.
pub(super) fn operand_len(sprm: u16, grpprl: &[u8], at: usize) -> Option<usize> {
    Some(match sprm >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        _ => match sprm {
            // cb counts the bytes after itself, plus one.
            SPRM_DEF_TABLE => {
                let cb = usize::from(le16(grpprl, at)?);
                2 + cb.saturating_sub(1)
            }
            SPRM_CHG_TABS => {
                let cb = usize::from(*grpprl.get(at)?);
                if cb != 255 {
                    1 + cb
                } else {
                    // PChgTabsDelOperand then PChgTabsAddOperand.
                    let del = usize::from(*grpprl.get(at + 1)?);
                    let add_at = at + 2 + del * 4;
                    let add = usize::from(*grpprl.get(add_at)?);
                    2 + del * 4 + 1 + add * 3
                }
            }
            _ => 1 + usize::from(*grpprl.get(at)?),
        },
    })
}

/// `sprmTDefTable`'s operand: cb (2), itcMac (1), rgdxaCenter (itcMac + 1 × 2),
/// rgTc80 (up to itcMac × 20; TCGRF first).
fn def_table(op: &[u8]) -> Option<RowLayout> {
    let n = usize::from(*op.get(2)?);
    if n == 0 || n > 64 {
        return None;
    }
    let bounds: Vec<i16> = (0..=n)
        .map_while(|i| le16(op, 3 + i * 2).map(|v| v as i16))
        .collect();
    if bounds.len() != n + 1 {
        return None;
    }
    let tc = 3 + (n + 1) * 2;
    let flags = (0..n).map(|i| le16(op, tc + i * 20).unwrap_or(0)).collect();
    Some(RowLayout { bounds, flags })
}
