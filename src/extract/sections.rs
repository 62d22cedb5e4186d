//! The six narrative sections, found by their headings (REPORT_FORMAT.md §2.2).

use crate::document::{Block, Document};
use crate::model::{Section, Sections};

use super::labels::{heading_ordinal, normalize, strip_enumerator};

/// Keywords of each section's heading, in template order (legacy variants included).
const HEADINGS: [&[&str]; 6] = [
    &[
        "总体情况",
        "概述",
        "基本情况",
        "基本工作情况",
        "主要工作概述",
        "工作概述",
        "总体工作情况",
    ],
    &["主动公开"],
    &["收到和处理", "依申请公开", "依申请"],
    &["行政复议", "行政诉讼", "复议", "诉讼"],
    &[
        "存在的主要问题",
        "存在问题",
        "主要问题",
        "问题及改进",
        "问题和改进",
        "改进措施",
        "工作打算",
    ],
    &[
        "其他需要报告",
        "其他需报告",
        "需要说明的事项",
        "其他事项",
        "需要报告的事项",
    ],
];

/// Which section a heading line starts, if it is one.
///
/// A heading is short, and either starts with a top-level ordinal (`一、`) followed by a
/// section keyword, or is exactly a known heading without ordinal.
pub fn classify_heading(text: &str) -> Option<usize> {
    let norm = normalize(text);
    let len = norm.chars().count();
    if len > 40 || norm.contains('。') || norm.contains('；') {
        return None;
    }
    let body = strip_enumerator(&norm);
    // Table 3's rows start with 一、/二、/四、 too.
    if [
        "本年新收",
        "上年结转",
        "结转下年",
        "本年度办理结果",
        "申请数量",
    ]
    .iter()
    .any(|k| body.contains(k))
    {
        return None;
    }
    let ordinal = heading_ordinal(&norm);
    if ordinal.is_none() {
        // No ordinal: accept only a bare heading such as "总体情况".
        let bare = body.trim_end_matches([':', '：']);
        return HEADINGS.iter().position(|keys| {
            keys.iter()
                .any(|k| bare == *k || bare == format!("{k}情况"))
        });
    }
    HEADINGS
        .iter()
        .position(|keys| keys.iter().any(|k| body.contains(k)))
}

/// Reads the sections: each heading's text runs until the next heading.
pub fn read_sections(doc: &Document) -> Sections {
    let mut sections = Sections::default();
    let mut current: Option<usize> = None;
    for (block, b) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = b else { continue };
        if let Some(i) = classify_heading(&p.text) {
            // The first heading of each section counts; a repeat is body text.
            if sections.get(i).is_none() {
                if let Some(slot) = sections.slot_mut(i) {
                    *slot = Some(Section {
                        heading: p.text.trim().to_string(),
                        text: String::new(),
                        order: block,
                    });
                }
                current = Some(i);
                continue;
            }
        }
        if let Some(i) = current {
            if let Some(Some(s)) = sections.slot_mut(i) {
                if !s.text.is_empty() {
                    s.text.push('\n');
                }
                s.text.push_str(p.text.trim());
            }
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_variants() {
        assert_eq!(classify_heading("一、总体情况"), Some(0));
        assert_eq!(classify_heading("一、基本工作情况"), Some(0));
        assert_eq!(classify_heading("二、主动公开政府信息情况"), Some(1));
        assert_eq!(
            classify_heading("三、收到和处理政府信息公开申请情况"),
            Some(2)
        );
        assert_eq!(classify_heading("三、政府信息依申请公开办理情况"), Some(2));
        assert_eq!(
            classify_heading("四、政府信息公开行政复议、行政诉讼情况"),
            Some(3)
        );
        assert_eq!(
            classify_heading("四、政府信息公开行政复议与行政诉讼情况"),
            Some(3)
        );
        assert_eq!(
            classify_heading("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
            Some(3)
        );
        assert_eq!(classify_heading("五、存在的主要问题及改进情况"), Some(4));
        assert_eq!(classify_heading("五、存在的主要问题及整改措施"), Some(4));
        assert_eq!(classify_heading("五、存在的主要问题及改进措施"), Some(4));
        assert_eq!(classify_heading("六、其他需要报告的事项"), Some(5));
        assert_eq!(classify_heading("六 、 其他需要报告事项"), Some(5));
        assert_eq!(classify_heading("总体情况"), Some(0));
    }

    #[test]
    fn table_rows_are_not_headings() {
        assert_eq!(classify_heading("一、本年新收政府信息公开申请数量"), None);
        assert_eq!(classify_heading("四、结转下年度继续办理"), None);
        assert_eq!(classify_heading("三、本年度办理结果"), None);
        assert_eq!(
            classify_heading("（一）主动公开。积极主动利用门户网站。"),
            None
        );
    }
}
