//! Cells run together: `190000019` for 19, 0, 0, 0, 0, 0, 19.
//!
//! Scrapers store a portal page's text with every cell of a row concatenated. A run is
//! split into a row's cells only as the text allows: a space is always a cell boundary,
//! a cell is a number without leading zeros (`00` is 0 | 0), and among the possible
//! splits the one the row's own total confirms is taken. A cell that has the same value
//! in every remaining split is taken too; every other cell stays null. Never a guess.

/// The most splits enumerated for one run; beyond it the run is left unread.
const MAX_SPLITS: usize = 200_000;

/// All ways to split the space-separated `chunks` of digits into exactly `n` cells.
/// `None` when a chunk is not all ASCII digits or the run is too long to enumerate.
pub fn splits(chunks: &[&str], n: usize) -> Option<Vec<Vec<i64>>> {
    if chunks
        .iter()
        .any(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let digits: usize = chunks.iter().map(|c| c.len()).sum();
    if digits > 60 || chunks.len() > n || digits < n {
        return if digits < n || chunks.len() > n {
            Some(Vec::new())
        } else {
            None
        };
    }
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(n);
    let ok = go(chunks, 0, n, &mut cur, &mut out);
    ok.then_some(out)
}

/// Splits chunk `i..` into cells; `false` when the enumeration grew past its bound.
fn go(chunks: &[&str], i: usize, n: usize, cur: &mut Vec<i64>, out: &mut Vec<Vec<i64>>) -> bool {
    let Some(chunk) = chunks.get(i) else {
        if cur.len() == n {
            out.push(cur.clone());
        }
        return out.len() <= MAX_SPLITS;
    };
    let remaining_chunks = chunks.len() - i - 1;
    split_chunk(chunk, n, remaining_chunks, cur, &mut |cur| {
        go(chunks, i + 1, n, cur, out)
    })
}

/// Splits one chunk into one or more cells, then continues with `k`.
fn split_chunk(
    chunk: &str,
    n: usize,
    later_chunks: usize,
    cur: &mut Vec<i64>,
    k: &mut dyn FnMut(&mut Vec<i64>) -> bool,
) -> bool {
    if chunk.is_empty() {
        return k(cur);
    }
    // Room: each later chunk needs at least one cell.
    if cur.len() + 1 + later_chunks > n {
        return true;
    }
    let max_len = if chunk.starts_with('0') {
        1
    } else {
        chunk.len().min(12)
    };
    for len in 1..=max_len {
        let (head, tail) = chunk.split_at(len);
        let Ok(v) = head.parse::<i64>() else { continue };
        cur.push(v);
        let go_on = if tail.is_empty() {
            k(cur)
        } else {
            split_chunk(tail, n, later_chunks, cur, k)
        };
        cur.pop();
        if !go_on {
            return false;
        }
    }
    true
}

/// The cells a set of splits determines: the value where every split agrees, else `None`.
pub fn consensus(readings: &[Vec<i64>], n: usize) -> Vec<Option<i64>> {
    (0..n)
        .map(|c| {
            let first = readings.first().and_then(|r| r.get(c)).copied()?;
            readings
                .iter()
                .all(|r| r.get(c) == Some(&first))
                .then_some(first)
        })
        .collect()
}

/// How a run was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReading {
    /// Per cell: the value, or `None` where the splits disagree.
    pub cells: Vec<Option<i64>>,
    /// Number of possible splits.
    pub possible: usize,
    /// Number of splits that satisfy the row's sums.
    pub satisfying: usize,
}

/// Reads a run into `n` cells: the only split, else the splits `sums_hold` accepts,
/// else what all splits agree on. `None` when the run is no digit run or has no split.
pub fn read_run(
    chunks: &[&str],
    n: usize,
    sums_hold: impl Fn(&[i64]) -> bool,
) -> Option<RunReading> {
    let all = splits(chunks, n)?;
    if all.is_empty() {
        return None;
    }
    let good: Vec<Vec<i64>> = all.iter().filter(|s| sums_hold(s)).cloned().collect();
    let cells = if all.len() == 1 {
        all[0].iter().map(|v| Some(*v)).collect()
    } else if !good.is_empty() {
        consensus(&good, n)
    } else {
        consensus(&all, n)
    };
    Some(RunReading {
        cells,
        possible: all.len(),
        satisfying: good.len(),
    })
}

/// Reads a row's value fragments as digit runs into `n` cells, when every fragment is
/// a plain digit string and together they hold more digits than fragments. Returns the
/// cells and the run's raw text; records a warning when the run leaves cells open or
/// could be split in more than one way.
pub fn read_frags(
    frags: &[super::lines::Frag],
    n: usize,
    what: &str,
    sums_hold: impl Fn(&[i64]) -> bool,
    ctx: &mut super::ctx::Ctx,
) -> Option<(Vec<Option<i64>>, String, bool)> {
    let chunks: Vec<&str> = frags.iter().map(|f| f.raw.as_ref()).collect();
    if frags.len() >= n
        || !frags.iter().all(|f| f.in_paragraph)
        || !chunks
            .iter()
            .all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let raw = chunks.join(" ");
    let at = frags.first().map(|f| f.at.place());
    let reading = read_run(&chunks, n, sums_hold)?;
    // Few values for many cells may also be a row that lost a blank cell: read it as a
    // run only when the run says so (a split the sums confirm, or far too few chunks).
    if reading.satisfying == 0 && reading.possible > 1 && chunks.len() * 2 > n {
        return None;
    }
    let open = reading.cells.iter().filter(|c| c.is_none()).count();
    let inferred = reading.possible > 1;
    if open > 0 {
        ctx.warn(
            "cells_run_together",
            format!(
                "{what}: the run 「{raw}」 splits into {n} cells in {} ways ({} agree with the row's sums); {open} cell(s) left null",
                reading.possible, reading.satisfying
            ),
            at,
        );
    } else if inferred {
        ctx.warn(
            "cells_run_together",
            format!(
                "{what}: the run 「{raw}」 was split by the row's sums ({} of {} splits agree)",
                reading.satisfying, reading.possible
            ),
            at,
        );
    }
    Some((reading.cells, raw, inferred))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t3_row(s: &[i64]) -> bool {
        s[..6].iter().sum::<i64>() == s[6]
    }

    #[test]
    fn unique_split_by_leading_zeros() {
        assert_eq!(splits(&["0000000"], 7).unwrap(), vec![vec![0; 7]]);
        assert_eq!(splits(&["00"], 2).unwrap(), vec![vec![0, 0]]);
        assert_eq!(splits(&["01"], 2).unwrap(), vec![vec![0, 1]]);
        assert!(splits(&["000"], 2).unwrap().is_empty());
    }

    #[test]
    fn row_total_picks_the_split() {
        let r = read_run(&["190000019"], 7, t3_row).unwrap();
        assert_eq!(r.cells, [19, 0, 0, 0, 0, 0, 19].map(Some));
        let r = read_run(&["21710000218"], 7, t3_row).unwrap();
        assert_eq!(r.cells, [217, 1, 0, 0, 0, 0, 218].map(Some));
        // Seven digits, seven cells: one split, kept although its sum fails.
        let r = read_run(&["8100008"], 7, t3_row).unwrap();
        assert_eq!(r.cells, [8, 1, 0, 0, 0, 0, 8].map(Some));
    }

    #[test]
    fn ambiguous_cells_stay_null() {
        // 2/1/35, 2/13/5, 21/3/5: nothing links the cells.
        let r = read_run(&["2135"], 3, |_| true).unwrap();
        assert_eq!(r.possible, 3);
        assert_eq!(r.cells, [None, None, None]);
        // 191000019 → no split adds up; 0s common to all splits are kept.
        let r = read_run(&["191000019"], 7, t3_row).unwrap();
        assert_eq!(r.satisfying, 0);
        assert_eq!(r.cells[3], Some(0));
        assert_eq!(r.cells[4], Some(0));
        assert_eq!(r.cells[0], None);
    }

    #[test]
    fn spaces_are_boundaries() {
        let chunks = [
            "00", "0", "0", "01", "0", "0", "0", "1", "0", "0", "0", "00",
        ];
        let groups = |s: &[i64]| s.chunks(5).all(|g| g[..4].iter().sum::<i64>() == g[4]);
        let r = read_run(&chunks, 15, groups).unwrap();
        assert_eq!(r.possible, 1);
        assert_eq!(
            r.cells,
            [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0].map(Some)
        );
    }

    #[test]
    fn bounded() {
        assert!(splits(&["1".repeat(61).as_str()], 7).is_none());
        assert!(splits(&["12a"], 2).is_none());
    }
}
