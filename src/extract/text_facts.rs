//! Figures stated in the narrative, for the text-versus-table rules (X-TEXT-T3, X-TEXT-T4).

use std::sync::OnceLock;

use regex::Regex;

use super::labels::normalize;
use super::meta::re;

/// What the narrative states about applications and cases.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TextFacts {
    /// 新收/收到 … 申请 N 件 (or 0 for 未收到 … 申请).
    pub new_received: Option<i64>,
    /// 上年结转 N 件.
    pub carried_over: Option<i64>,
    /// 结转下年度 N 件.
    pub carried_forward: Option<i64>,
    /// 无行政复议和行政诉讼, 未发生 … 行政复议 … 行政诉讼.
    pub no_review_litigation: bool,
}

/// Reads the facts from narrative text; a figure only from a sentence that states it.
pub fn read(text: &str) -> TextFacts {
    let n = normalize(text);
    static NEW: OnceLock<Option<Regex>> = OnceLock::new();
    static NONE: OnceLock<Option<Regex>> = OnceLock::new();
    static OVER: OnceLock<Option<Regex>> = OnceLock::new();
    static FWD: OnceLock<Option<Regex>> = OnceLock::new();
    static NO_CASES: OnceLock<Option<Regex>> = OnceLock::new();
    let num = |r: Option<&Regex>| -> Option<i64> { r?.captures(&n)?.get(1)?.as_str().parse().ok() };
    let mut f = TextFacts {
        new_received: num(re(
            &NEW,
            r"(?:本年度?|全年|年内)?(?:共)?(?:新收|收到|受理)(?:各类)?(?:政府信息公开)?申请(?:共计?)?(\d+)件",
        )),
        carried_over: num(re(&OVER, r"上年结转(?:政府信息公开申请)?(?:共)?(\d+)件")),
        carried_forward: num(re(&FWD, r"结转下(?:一)?年度?(?:继续办理)?(?:共)?(\d+)件")),
        no_review_litigation: re(
            &NO_CASES,
            r"(?:无|未发生|没有|未收到|未出现|未有)[^。，,]{0,16}行政复议[^。]{0,16}行政诉讼",
        )
        .is_some_and(|r| r.is_match(&n)),
    };
    if f.new_received.is_none()
        && re(
            &NONE,
            r"(?:未|没有)(?:收到|接到|受理)(?:任何)?(?:政府信息公开|依申请公开)(?:的)?申请",
        )
        .is_some_and(|r| r.is_match(&n))
    {
        f.new_received = Some(0);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements() {
        let f = read("2023 年，我局未收到政府信息公开申请。无行政复议和行政诉讼情况。");
        assert_eq!(f.new_received, Some(0));
        assert!(f.no_review_litigation);
        let f = read("全年新收政府信息公开申请19件，上年结转0件，结转下年度继续办理2件。");
        assert_eq!(
            (f.new_received, f.carried_over, f.carried_forward),
            (Some(19), Some(0), Some(2))
        );
        let f = read("全年政府信息主动公开52条；办理依申请公开19件。");
        assert_eq!(f, TextFacts::default());
    }
}
