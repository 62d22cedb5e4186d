//! Character properties, for two purposes: tracked deletions (`sprmCFRMarkDel`), which
//! are dropped as Word shows a document with its changes accepted, and symbol characters
//! (`sprmCSymbol` on a special character), which stand for a character of a symbol font.
//!
//! `PlcfBteChpx` → FKP page → the run holding a character → its `grpprl`.

use super::fkp::{BinTable, PAGE};
use super::papx::operand_len;
use super::{le16, le32};

/// `sprmCFRMarkDel`: the text is a tracked deletion.
const SPRM_RMARK_DEL: u16 = 0x0800;

/// `sprmCFSpec`: the characters are special characters.
const SPRM_SPEC: u16 = 0x0855;
/// `sprmCSymbol`: font and character of a symbol.
const SPRM_SYMBOL: u16 = 0x6A09;

/// A run of characters with the same properties: bytes `start..end` of `WordDocument`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    pub start: u32,
    pub end: u32,
    /// A tracked deletion.
    pub deleted: bool,
    /// The character a special-character run shows (`sprmCFSpec` with `sprmCSymbol`).
    pub symbol: Option<u16>,
}

/// Looks up character runs by byte offset in `WordDocument`.
pub(super) struct Chpx<'a> {
    bins: BinTable<'a>,
}

impl<'a> Chpx<'a> {
    /// Reads the `PlcfBteChpx` at `bte` (offset, length) in the table stream. A missing
    /// or damaged one makes every lookup `None`.
    pub fn new(word: &'a [u8], table: &[u8], bte: (u32, u32)) -> Self {
        Chpx {
            bins: BinTable::new(word, table, bte),
        }
    }

    /// The run holding the character at byte `fc`, or `None` when the file does not say.
    pub fn lookup(&self, fc: u32) -> Option<Run> {
        let page = self.bins.page_for(fc)?;
        let crun = usize::from(*page.get(PAGE - 1)?);
        let rgb = (crun + 1) * 4;
        if crun == 0 || rgb + crun > PAGE - 1 {
            return None;
        }
        let runs: Vec<u32> = (0..=crun).map_while(|k| le32(page, k * 4)).collect();
        let j = runs.partition_point(|f| *f <= fc).checked_sub(1)?;
        let (Some(run_start), Some(run_end)) = (runs.get(j), runs.get(j + 1)) else {
            return None;
        };
        if *run_end <= fc {
            return None;
        }
        let offset = usize::from(*page.get(rgb + j)?) * 2;
        let mut deleted = false;
        let (mut special, mut symbol) = (false, None);
        if offset != 0 {
            let cb = usize::from(*page.get(offset)?);
            let grpprl = page.get(offset + 1..(offset + 1 + cb).min(PAGE - 1))?;
            let mut at = 0;
            while let Some(sprm) = le16(grpprl, at) {
                let Some(len) = operand_len(sprm, grpprl, at + 2) else {
                    break;
                };
                // Toggles: 1 on; 0x81 the opposite of the style (off in practice).
                match sprm {
                    SPRM_RMARK_DEL => deleted = matches!(grpprl.get(at + 2), Some(1 | 0x81)),
                    SPRM_SPEC => special = matches!(grpprl.get(at + 2), Some(1 | 0x81)),
                    SPRM_SYMBOL => symbol = le16(grpprl, at + 4),
                    _ => {}
                }
                at += 2 + len;
            }
        }
        Some(Run {
            start: *run_start,
            end: *run_end,
            deleted,
            symbol: symbol.filter(|_| special),
        })
    }
}
