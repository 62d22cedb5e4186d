//! The bin tables of a Word binary (`PlcfBteChpx`, `PlcfBtePapx`): which 512-byte FKP
//! page of `WordDocument` holds the properties of the text at a given byte.

use super::le32;

/// Size of an FKP page.
pub(super) const PAGE: usize = 512;

/// A bin table: `n + 1` file offsets and the `n` FKP pages between them.
pub(super) struct BinTable<'a> {
    word: &'a [u8],
    /// `aFC`: n + 1 offsets.
    fcs: Vec<u32>,
    /// The FKP page numbers, n.
    pages: Vec<u32>,
}

impl<'a> BinTable<'a> {
    /// Reads the bin table at `bte` (offset, length) in the table stream. A missing or
    /// damaged one makes every [`page_for`](Self::page_for) `None`.
    pub(super) fn new(word: &'a [u8], table: &[u8], bte: (u32, u32)) -> Self {
        let (fc, lcb) = (bte.0 as usize, bte.1 as usize);
        let plc = fc
            .checked_add(lcb)
            .and_then(|end| table.get(fc..end))
            .unwrap_or_default();
        let n = plc.len().saturating_sub(4) / 8;
        let fcs: Vec<u32> = (0..=n).map_while(|i| le32(plc, i * 4)).collect();
        let base = (n + 1) * 4;
        let pages: Vec<u32> = (0..n)
            .map_while(|i| le32(plc, base + i * 4).map(|p| p & 0x003F_FFFF))
            .collect();
        let ok = n > 0 && fcs.len() == n + 1 && pages.len() == n;
        BinTable {
            word,
            fcs: if ok { fcs } else { Vec::new() },
            pages: if ok { pages } else { Vec::new() },
        }
    }

    /// The FKP page for the text at byte `fc` of `WordDocument`: the last entry whose
    /// start is at or before `fc`. `None` when the file does not say.
    pub(super) fn page_for(&self, fc: u32) -> Option<&'a [u8]> {
        let i = self.fcs.partition_point(|f| *f <= fc).checked_sub(1)?;
        let pn = *self.pages.get(i)?;
        let start = (pn as usize).checked_mul(PAGE)?;
        self.word.get(start..start.checked_add(PAGE)?)
    }
}
