//! The floors the readers are measured against, shared by `readers` (the ratios) and
//! `profile` (instruction counts): what no reader of these formats can beat.

use std::io::{Cursor, Read};

/// Inflates `word/document.xml` and walks every XML event: the floor for a DOCX reader.
pub fn docx_floor(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut part = zip.by_name("word/document.xml").expect("word/document.xml");
    let mut xml = Vec::with_capacity(part.size() as usize);
    part.read_to_end(&mut xml).expect("inflate");
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(e) => {
                events += 1;
                std::hint::black_box(&e);
            }
        }
    }
    events
}

/// calamine's own read of a workbook: every sheet's cells, and the merged regions.
pub fn xlsx_floor(bytes: &[u8]) -> usize {
    use calamine::{Reader as _, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
    let mut n = 0;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        n += range.used_cells().count();
        n += wb
            .merge_cells_by_sheet_name(&name)
            .expect("merged regions")
            .len();
    }
    n
}
