//! The six narrative sections, found by their headings (REPORT_FORMAT.md §2.2).

use crate::document::Block;

use super::unglue::Blocks;
use crate::model::{Section, Sections};

use super::labels::{heading_ordinal, normalize, normalized_len_exceeds, strip_enumerator};

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
    // Most paragraphs are body text: reject long ones before normalising.
    if text.contains('。') || normalized_len_exceeds(text, 40) {
        return None;
    }
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
                .any(|k| bare == *k || bare.strip_suffix("情况") == Some(*k))
        });
    }
    HEADINGS
        .iter()
        .position(|keys| keys.iter().any(|k| body.contains(k)))
}

/// Reads the sections: each heading's text runs until the next heading.
pub fn read_sections(doc: &Blocks<'_>) -> Sections {
    let mut sections = Sections::default();
    let mut current: Option<usize> = None;
    for (block, b) in doc.iter().enumerate() {
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
        if is_page_chrome(&p.text) {
            // The report is over: what follows is the portal's footer.
            current = None;
            continue;
        }
        if let Some(i) = current {
            if let Some(Some(s)) = sections.slot_mut(i) {
                if !s.text.is_empty() {
                    s.text.push('\n');
                }
                s.text.push_str(p.text.trim());
            }
            if ends_with_signature_date(&p.text) {
                current = None;
            }
        }
    }
    sections
}

/// A portal's furniture after the report body: 附件下载, 扫一扫, 版权所有 …
fn is_page_chrome(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 40
        && [
            "附件下载",
            "扫一扫在手机",
            "相关链接",
            "打印本页",
            "关闭窗口",
            "版权所有",
            "网站标识码",
            "ICP备",
            "【打印】",
            "【关闭】",
        ]
        .iter()
        .any(|k| t.starts_with(k) || (t.len() < 60 && t.contains(k)))
}

/// The date that closes a report's signature: `2024年1月5日` (after the agency), alone
/// or at the end of a short line.
pub(crate) fn ends_with_signature_date(text: &str) -> bool {
    let blank = |c: &char| c.is_whitespace() || *c == '\u{3000}';
    if !text.trim_end_matches(|c| blank(&c)).ends_with('日')
        || text.chars().filter(|c| !blank(c)).nth(40).is_some()
    {
        return false;
    }
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    if t.chars().count() > 40 || !t.ends_with('日') {
        return false;
    }
    let Some(y) = t.rfind('年') else {
        return false;
    };
    let year: String = t[..y]
        .chars()
        .rev()
        .take(4)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    let digits = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九十".contains(c))
    };
    digits(&year) && t[y..].contains('月')
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
    fn report_ends_at_signature_or_chrome() {
        assert!(ends_with_signature_date("2024年1月5日"));
        assert!(ends_with_signature_date(
            "平潭综合实验区自然资源与生态环境局2024年1月5日"
        ));
        assert!(ends_with_signature_date("二○一○年四月十日"));
        assert!(!ends_with_signature_date("2024年，无收取信息处理费情况。"));
        assert!(is_page_chrome("附件下载"));
        assert!(is_page_chrome("版权所有：平潭综合实验区党工委管委会网站"));
        assert!(!is_page_chrome("六、其他需要报告的事项"));
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
