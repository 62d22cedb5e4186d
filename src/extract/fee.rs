//! The 信息处理费 statement of section 六 (REPORT_FORMAT.md §8.7).

use std::sync::OnceLock;

use regex::Regex;

use super::unglue::Blocks;
use crate::model::InfoProcessingFee;

use super::labels::normalize;
use super::meta::re;

/// Reads the fee figures from section 六's text, when it states them.
pub fn read(text: &str) -> Option<InfoProcessingFee> {
    text.split(['\n', '。', '；'])
        .find(|s| mentions_fee(s))
        .and_then(|s| parse_sentence(s, text))
}

/// Looks for the fee statement in any paragraph (reports without a section 六 heading).
pub fn read_anywhere(doc: &Blocks<'_>) -> Option<InfoProcessingFee> {
    doc.paragraphs()
        .filter(|p| p.text.contains("信息处理费"))
        .find_map(|p| read(&p.text))
}

fn mentions_fee(s: &str) -> bool {
    s.contains("信息处理费") || s.contains("收费通知")
}

fn parse_sentence(sentence: &str, _context: &str) -> Option<InfoProcessingFee> {
    let n = normalize(sentence);
    static ISSUED: OnceLock<Option<Regex>> = OnceLock::new();
    static NOTICE_AMT: OnceLock<Option<Regex>> = OnceLock::new();
    static COLLECTED: OnceLock<Option<Regex>> = OnceLock::new();
    let issued = re(
        &ISSUED,
        r"发出(?:政府信息处理费|信息处理费)?收费通知(?:书)?(?:共计?)?(\d+)(?:件|份|次|个)",
    )?;
    let notice_amt = re(
        &NOTICE_AMT,
        r"收费通知[^，,。]*?(?:金额|总额)(?:共计?|为|合计)?(\d+(?:\.\d+)?)元",
    )?;
    let collected = re(
        &COLLECTED,
        r"(?:实际)?收取(?:政府)?(?:信息处理费|费用)(?:共计?|为|合计)?(\d+(?:\.\d+)?)元",
    )?;
    let none_issued = (n.contains("未发出")
        || n.contains("没有发出")
        || n.contains("未向申请人发出")
        || n.contains("无收费通知"))
        && n.contains("收费通知");
    let none_collected = [
        "未收取",
        "没有收取",
        "未收费",
        "不收取",
        "无收取",
        "无收费",
        "未产生信息处理费",
        "无信息处理费",
    ]
    .iter()
    .any(|k| n.contains(k));
    let mut fee = InfoProcessingFee {
        notices_issued: None,
        notices_amount_yuan: None,
        collected_amount_yuan: None,
        statement_raw: sentence.trim().to_string(),
    };
    if none_issued {
        fee.notices_issued = Some(0);
        fee.notices_amount_yuan = Some(0.0);
    }
    if let Some(c) = issued.captures(&n) {
        fee.notices_issued = c.get(1).and_then(|m| m.as_str().parse().ok());
    }
    if let Some(c) = notice_amt.captures(&n) {
        fee.notices_amount_yuan = c.get(1).and_then(|m| m.as_str().parse().ok());
    }
    if none_collected {
        fee.collected_amount_yuan = Some(0.0);
    }
    if let Some(c) = collected.captures(&n) {
        fee.collected_amount_yuan = c.get(1).and_then(|m| m.as_str().parse().ok());
    }
    if fee.notices_issued.is_none()
        && fee.notices_amount_yuan.is_none()
        && fee.collected_amount_yuan.is_none()
    {
        return None;
    }
    Some(fee)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements() {
        let f = read("渠县经济和信息化局 2023 年未发出政府信息处理费收费通知，未收取信息处理费。")
            .unwrap();
        assert_eq!(
            (
                f.notices_issued,
                f.notices_amount_yuan,
                f.collected_amount_yuan
            ),
            (Some(0), Some(0.0), Some(0.0))
        );
        let f = read("本年度没有发出收费通知，实际收取信息处理费 0 元。").unwrap();
        assert_eq!(
            (f.notices_issued, f.collected_amount_yuan),
            (Some(0), Some(0.0))
        );
        let f = read("本年度发出收费通知2件，实际收取信息处理费共计400元。").unwrap();
        assert_eq!(
            (f.notices_issued, f.collected_amount_yuan),
            (Some(2), Some(400.0))
        );
        assert!(read("无。").is_none());
        let f = read("2024年，无收取信息处理费情况。").unwrap();
        assert_eq!(
            (f.notices_issued, f.collected_amount_yuan),
            (None, Some(0.0))
        );
    }
}
