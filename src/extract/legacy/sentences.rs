//! Figures stated in legacy narrative sentences (REPORT_FORMAT.md §9.3):
//! 主动公开政府信息N条, 受理…申请N件, 答复N件, 同意公开N件, 行政复议N件, 无收费及减免情况,
//! 没有收到信息公开申请, 未收到…行政复议、行政诉讼和行政申诉, 全文电子化达100%, 咨询N人次 ….
//!
//! A figure is taken only where the sentence's subject is the figure's own: the number
//! follows the subject's words directly (`主动公开政府信息733条`), not a number that
//! happens to stand near a keyword. A figure shared by several subjects (`非政府信息、
//! 政府信息不存在、非本机关政府信息的件数为8件`) or a cumulative one (`历年累计主动公开…
//! 2027条`) is not taken.

use std::sync::OnceLock;

use regex::Regex;

use super::super::labels::normalize;
use super::super::meta::re;

/// One figure a sentence states.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    /// Key path under `legacy`.
    pub key: &'static str,
    /// The value (万元 for fee keys).
    pub value: f64,
}

type Cell = OnceLock<Option<Regex>>;

/// Whether a match preceded by `prefix` names a subject shared with the items before it
/// (`A、B的件数为8件`): the prefix ends with a list separator that does not follow a figure.
fn shared_subject(prefix: &str) -> bool {
    let p = prefix.trim_end();
    for sep in ["、", "和", "及", "或", "与", "/"] {
        if let Some(before) = p.strip_suffix(sep) {
            return !before.ends_with(['件', '条', '次', '人', '个', '宗', '起']);
        }
    }
    false
}

fn cumulative(prefix: &str) -> bool {
    let tail: String = prefix
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    tail.contains("累计") || tail.contains("历年") || tail.contains("上年") || tail.contains("去年")
}

/// Every `(prefix, number, unit)` of `r` in `n` whose prefix passes `ok`.
fn numbers<'a>(
    r: Option<&Regex>,
    n: &'a str,
    ok: impl Fn(&str) -> bool,
) -> Vec<(f64, Option<&'a str>)> {
    let Some(r) = r else { return Vec::new() };
    r.captures_iter(n)
        .filter_map(|c| {
            let m = c.get(0)?;
            let prefix = &n[..m.start()];
            if !ok(prefix) {
                return None;
            }
            let v: f64 = c.name("v")?.as_str().parse().ok()?;
            Some((v, c.name("u").map(|u| u.as_str())))
        })
        .collect()
}

/// The figures one sentence states.
pub fn read(sentence: &str) -> Vec<Stated> {
    let n = normalize(sentence);
    let mut out = Vec::new();
    let mut push = |key: &'static str, value: f64| {
        if !out.iter().any(|s: &Stated| s.key == key) {
            out.push(Stated { key, value });
        }
    };
    let plain = |p: &str| !shared_subject(p);
    static PROACTIVE: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(
            &PROACTIVE,
            r"主动公开(?:各类|各项)?(?:政府)?信息(?:数|数量)?(?:共计|共|合计|总计|为|达)*(?P<v>\d+)条",
        ),
        &n,
        |p| plain(p) && !cumulative(p),
    ) {
        push("proactive_total", v);
    }
    static ETEXT: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(
            &ETEXT,
            r"全文电子化(?:率)?(?:达到|达|为|是|均为)?(?P<v>\d+(?:\.\d+)?)%",
        ),
        &n,
        plain,
    ) {
        push("e_text_rate_pct", v);
    }
    static RECEIVED: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(
            &RECEIVED,
            r"(?:受理|收到|接到|接收)(?:了)?(?:各类|有关|依|政府信息公开|信息公开|公民、法人(?:或|和)其他组织(?:提出的)?|的)*申请(?:公开)?(?:政府信息)?(?:共计|共|合计|总计|为)*(?P<v>\d+)(?:件|宗)",
        ),
        &n,
        |p| plain(p) && !cumulative(p),
    ) {
        push("requests_received", v);
    }
    static NO_REQUESTS: Cell = OnceLock::new();
    if re(
        &NO_REQUESTS,
        r"(?:未|没有)(?:收到|接到|受理)(?:过)?(?:任何|有关|公民、法人(?:或|和)其他组织(?:提出的)?)*(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请",
    )
    .is_some_and(|r| r.is_match(&n))
    {
        push("requests_received", 0.0);
    }
    static CHANNEL: Cell = OnceLock::new();
    if let Some(r) = re(
        &CHANNEL,
        r"(?P<c>当面|网上|网络|电子邮件|传真|信函|其他形式|其他方式)(?:提出)?(?:的)?申请(?:数)?(?:为|共)?(?P<v>\d+)件",
    ) {
        for c in r.captures_iter(&n) {
            let (Some(m), Some(ch), Some(v)) = (c.get(0), c.name("c"), c.name("v")) else {
                continue;
            };
            let p = n[..m.start()].trim_end();
            let starts_item = p.is_empty()
                || p.ends_with("其中")
                || p.ends_with("其中:")
                || p.ends_with("通过")
                || p.ends_with(',')
                || p.ends_with(':')
                || ["件、", "件,", "件和", "件;", "件及"]
                    .iter()
                    .any(|s| p.ends_with(s));
            let Ok(v) = v.as_str().parse::<f64>() else {
                continue;
            };
            if !starts_item {
                continue;
            }
            let key = match ch.as_str() {
                "当面" => "requests_by_channel/in_person",
                "网上" | "网络" => "requests_by_channel/online",
                "电子邮件" => "requests_by_channel/email",
                "传真" => "requests_by_channel/fax",
                "信函" => "requests_by_channel/letter",
                _ => "requests_by_channel/other",
            };
            push(key, v);
        }
    }
    static REPLIES: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(
            &REPLIES,
            r"(?:答复|回复)(?:申请人|申请)?(?:共计|共|合计|总数为|总数|为)*(?P<v>\d+)件",
        ),
        &n,
        |p| {
            plain(p)
                && !cumulative(p)
                && !["按时", "延期", "逾期", "及时"]
                    .iter()
                    .any(|w| p.ends_with(w))
        },
    ) {
        push("replies_total", v);
    }
    static CLOSED: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(&CLOSED, r"办结(?:申请)?(?:共计|共|为)*(?P<v>\d+)件"),
        &n,
        |p| plain(p) && !["按时", "延期", "逾期"].iter().any(|w| p.ends_with(w)),
    ) {
        push("requests_closed", v);
    }
    let tail = r"(?:的)?(?:答复)?(?:件数|数量)?(?:为|有|共)?(?P<v>\d+)件";
    static GRANTED: Cell = OnceLock::new();
    static PARTIAL: Cell = OnceLock::new();
    static DENIED: Cell = OnceLock::new();
    static NOT_EXIST: Cell = OnceLock::new();
    static NOT_AGENCY: Cell = OnceLock::new();
    let pats: [(&'static str, &Cell, String); 5] = [
        (
            "replies/granted",
            &GRANTED,
            format!(r"(?:同意公开|予以公开|全部公开){tail}"),
        ),
        (
            "replies/partially_granted",
            &PARTIAL,
            format!(r"部分公开{tail}"),
        ),
        (
            "replies/denied",
            &DENIED,
            format!(r"(?:不同意公开|不予公开|否决公开){tail}"),
        ),
        (
            "replies/not_exist",
            &NOT_EXIST,
            format!(r"信息不存在{tail}"),
        ),
        (
            "replies/not_this_agency",
            &NOT_AGENCY,
            format!(
                r"(?:非本机关|非本部门|不属于本(?:机关|部门|单位|行政机关))(?:公开)?(?:范围)?(?:掌握)?(?:的)?(?:政府信息)?{tail}"
            ),
        ),
    ];
    for (key, cell, pat) in &pats {
        for (v, _) in numbers(re(cell, pat), &n, |p| plain(p) && !p.ends_with('不')) {
            push(key, v);
        }
    }
    static REVIEW: Cell = OnceLock::new();
    static LIT: Cell = OnceLock::new();
    static COMPLAINTS: Cell = OnceLock::new();
    let case = r"(?:案件|申请)?(?:数|数量)?(?:共计|共|为|有)*(?P<v>\d+)(?:件|起|宗|次|个)";
    for (key, cell, pat) in [
        ("admin_review/total", &REVIEW, format!("行政复议{case}")),
        ("litigation/total", &LIT, format!("行政诉讼{case}")),
        (
            "complaints",
            &COMPLAINTS,
            format!("(?:行政申诉|举报投诉|投诉举报|申诉){case}"),
        ),
    ] {
        for (v, _) in numbers(re(cell, &pat), &n, |p| plain(p) && !cumulative(p)) {
            push(key, v);
        }
    }
    for key in no_cases(&n) {
        push(key, 0.0);
    }
    fees(&n, &mut push);
    static CONSULT: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(
            &CONSULT,
            r"咨询(?:服务)?(?:共计|共|合计|达|为)*(?P<v>\d+)人次",
        ),
        &n,
        |p| plain(p) && !cumulative(p),
    ) {
        push("consultations", v);
    }
    static FULL: Cell = OnceLock::new();
    static PART: Cell = OnceLock::new();
    for (key, cell, pat) in [
        (
            "staffing/staff_fulltime",
            &FULL,
            r"专职(?:工作)?人员(?:共|为)?(?P<v>\d+)(?:名|人)",
        ),
        (
            "staffing/staff_parttime",
            &PART,
            r"兼职(?:工作)?人员(?:共|为)?(?P<v>\d+)(?:名|人)",
        ),
    ] {
        for (v, _) in numbers(re(cell, pat), &n, plain) {
            push(key, v);
        }
    }
    static TRAININGS: Cell = OnceLock::new();
    for (v, _) in numbers(
        re(
            &TRAININGS,
            r"(?:举办|开展|组织)(?:各类|各种)?(?:政府信息公开)?(?:工作|业务|专题)?培训(?:班|会|活动)?(?:共计|共)?(?P<v>\d+)(?:次|期|场)",
        ),
        &n,
        plain,
    ) {
        push("trainings", v);
    }
    out
}

/// 未收到因政府信息公开提出的行政复议、行政诉讼和行政申诉的申请 → each named kind is 0.
fn no_cases(n: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for clause in n.split([',', ';', '。', '，', '；']) {
        if clause.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let neg = [
            "未收到",
            "未发生",
            "没有收到",
            "没有发生",
            "未出现",
            "没有出现",
            "未接到",
            "无",
        ]
        .iter()
        .filter_map(|w| clause.find(w).map(|i| (i, w.len())))
        .filter(|(i, _)| !clause[*i..].starts_with("无论"))
        .min();
        let Some((at, len)) = neg else { continue };
        let rest = &clause[at + len..];
        if rest.chars().count() > 60 {
            continue;
        }
        for (word, key) in [
            ("行政复议", "admin_review/total"),
            ("行政诉讼", "litigation/total"),
            ("申诉", "complaints"),
            ("举报投诉", "complaints"),
        ] {
            if rest.contains(word) && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

fn fees(n: &str, push: &mut impl FnMut(&'static str, f64)) {
    static BOTH: Cell = OnceLock::new();
    static NONE_COLLECTED: Cell = OnceLock::new();
    static NONE_WAIVED: Cell = OnceLock::new();
    static COLLECTED: Cell = OnceLock::new();
    static WAIVED: Cell = OnceLock::new();
    if re(
        &BOTH,
        r"(?:无|没有|未发生|未有)(?:政府信息公开|依申请公开)?(?:的)?(?:收费|收取费用)(?:及|和|与|、)(?:费用)?减免",
    )
    .is_some_and(|r| r.is_match(n))
    {
        push("fees_collected_wan_yuan", 0.0);
        push("fees_waived_wan_yuan", 0.0);
        return;
    }
    if re(
        &NONE_COLLECTED,
        r"(?:未|没有|不)(?:收取|收)(?:任何)?(?:政府信息公开)?(?:的)?(?:任何)?(?:费用|检索费|复制费)|(?:无|没有|未)(?:任何)?收费",
    )
    .is_some_and(|r| r.is_match(n))
    {
        push("fees_collected_wan_yuan", 0.0);
    }
    if re(&NONE_WAIVED, r"(?:无|没有|未)(?:发生)?(?:费用)?减免").is_some_and(|r| r.is_match(n))
    {
        push("fees_waived_wan_yuan", 0.0);
    }
    let wan = |v: f64, u: Option<&str>| if u == Some("万元") { v } else { v / 10_000.0 };
    for (v, u) in numbers(
        re(
            &COLLECTED,
            r"收取(?:政府信息公开)?(?:的)?(?:费用|检索费|复制费)?(?:共计|共|合计|为)*(?P<v>\d+(?:\.\d+)?)(?P<u>万元|元)",
        ),
        n,
        |p| !shared_subject(p),
    ) {
        push("fees_collected_wan_yuan", wan(v, u));
    }
    for (v, u) in numbers(
        re(
            &WAIVED,
            r"减免(?:费用)?(?:共计|共|合计|为)*(?P<v>\d+(?:\.\d+)?)(?P<u>万元|元)",
        ),
        n,
        |p| !shared_subject(p),
    ) {
        push("fees_waived_wan_yuan", wan(v, u));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<(&'static str, f64)> {
        read(s).into_iter().map(|x| (x.key, x.value)).collect()
    }

    #[test]
    fn stated_figures() {
        assert_eq!(
            keys("2009年1月1日至2009年12月31日，本局共主动公开政府信息6条，其中全文电子化达100%。"),
            [("proactive_total", 6.0), ("e_text_rate_pct", 100.0)]
        );
        assert_eq!(keys("历年累计主动公开政府信息2027条。"), []);
        assert_eq!(
            keys("2017年我局受理依申请公开14件，其中当面申请1件、网上申请2件、信函传真申请11件。"),
            [
                ("requests_received", 14.0),
                ("requests_by_channel/in_person", 1.0),
                ("requests_by_channel/online", 2.0)
            ]
        );
        assert_eq!(
            keys("已答复中“同意公开”的件数1件，“部分公开”的件数为5件，“不予公开”的件数0件，“非政府信息、政府信息不存在、非本机关政府信息”的件数为8件。"),
            [
                ("replies/granted", 1.0),
                ("replies/partially_granted", 5.0),
                ("replies/denied", 0.0)
            ]
        );
        assert_eq!(
            keys("2017年，未收到因政府信息公开提出的行政复议、行政诉讼和行政申诉的申请。"),
            [
                ("admin_review/total", 0.0),
                ("litigation/total", 0.0),
                ("complaints", 0.0)
            ]
        );
        assert_eq!(
            keys("2009年度，我局没有收到信息公开申请。"),
            [("requests_received", 0.0)]
        );
        assert_eq!(
            keys("无收费及减免情况。"),
            [
                ("fees_collected_wan_yuan", 0.0),
                ("fees_waived_wan_yuan", 0.0)
            ]
        );
        assert_eq!(
            keys("主动公开政府信息工作取得了新进展，全年开展培训3次。"),
            [("trainings", 3.0)]
        );
        assert_eq!(keys("共清理出6条政府公开信息。"), []);
        assert_eq!(keys("在公开的11条信息中，机构职能类信息1条。"), []);
        assert_eq!(keys("全年接待咨询2070人次。"), [("consultations", 2070.0)]);
        assert_eq!(keys("本年度不同意公开3件。"), [("replies/denied", 3.0)]);
    }
}
