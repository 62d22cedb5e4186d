//! Legacy table row labels → `legacy` key paths (REPORT_FORMAT.md §9.2, §9.3).
//!
//! Labels are recognised by keywords, in an order that puts the specific before the
//! general (主要负责同志参加新闻发布会 before 新闻发布会, 维持…驳回原告诉讼请求 before
//! 行政诉讼). Sub-rows whose wording is shared (维持 / 被依法纠错 / 其他情形 under 行政复议
//! and 行政诉讼, 主要负责同志参加 under 新闻发布会 and 在线访谈) take the group of the
//! nearest row above that opened one.

use super::super::labels::strip_enumerator;

/// The group a row opens, for the sub-rows that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Group {
    /// Nothing yet.
    #[default]
    None,
    /// 主动公开 and its channels.
    Proactive,
    /// 新闻发布会.
    Press,
    /// 在线访谈.
    Interviews,
    /// 回应解读 (other rows).
    Responses,
    /// 收到申请 and its channels.
    Requests,
    /// 申请办结.
    Closed,
    /// 申请答复.
    Replies,
    /// 不同意公开 and its reasons.
    Denied,
    /// 行政复议.
    Review,
    /// 行政诉讼.
    Litigation,
    /// 机构建设和保障经费.
    Staffing,
    /// 会议和培训.
    Meetings,
}

/// A label cleaned for classification: no bracketed notes, no 其中, no enumerators, no
/// unit at the end. Returns the label and the unit it ended with.
pub fn clean(norm: &str) -> (String, Option<&'static str>) {
    let mut s = String::with_capacity(norm.len());
    let mut depth = 0usize;
    for c in norm.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let mut t: &str = &s;
    loop {
        let before = t.len();
        t = t.trim_start_matches([':', '：', ',', '，']);
        if let Some(r) = t.strip_prefix("其中") {
            t = r;
        }
        t = strip_enumerator(t);
        if t.len() == before {
            break;
        }
    }
    let mut unit = None;
    for u in UNITS {
        if let Some(r) = t.strip_suffix(u) {
            t = r;
            unit = Some(*u);
            break;
        }
    }
    (t.trim_end_matches([':', '：']).to_string(), unit)
}

/// Units written after a row label (longest first).
pub const UNITS: &[&str] = &[
    "万元", "人次", "件次", "元", "件", "条", "个", "项", "次", "人", "篇", "%", "％",
];

/// Classifies a cleaned label. Returns the key path (`replies/granted`) if the row
/// carries a `legacy` figure, and the group it opens (if any).
pub fn classify(l: &str, group: Group) -> (Option<&'static str>, Option<Group>) {
    use Group as G;
    let has = |w: &str| l.contains(w);
    let any = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if l.is_empty() {
        return (None, None);
    }
    // Fees first: 依申请公开信息收取的费用 also names 申请.
    if has("收费") && has("减免") {
        return (None, None);
    }
    if has("减免") {
        return (Some("fees_waived_wan_yuan"), None);
    }
    if any(&[
        "收取的费用",
        "收取费用",
        "收费金额",
        "收费数额",
        "收取的信息",
    ]) {
        return (Some("fees_collected_wan_yuan"), None);
    }
    if has("咨询") {
        return (Some("consultations"), None);
    }
    // Meetings and training before staff (接受培训人员数).
    if any(&["接受培训", "培训人员", "培训人次"]) {
        return (Some("trainees"), Some(G::Meetings));
    }
    if has("培训班") || (has("培训") && has("举办")) {
        return (Some("trainings"), Some(G::Meetings));
    }
    if has("会议") {
        if has("培训") {
            return (None, Some(G::Meetings));
        }
        return (Some("meetings"), Some(G::Meetings));
    }
    if has("机构建设") || has("保障经费") {
        return (None, Some(G::Staffing));
    }
    if has("专门机构") {
        return (Some("staffing/units"), Some(G::Staffing));
    }
    if has("查阅点") || has("查阅场所") {
        return (Some("staffing/reading_points"), Some(G::Staffing));
    }
    if has("专职") {
        return (Some("staffing/staff_fulltime"), Some(G::Staffing));
    }
    if has("兼职") {
        return (Some("staffing/staff_parttime"), Some(G::Staffing));
    }
    if has("专项经费") {
        return (Some("staffing/special_funds_wan_yuan"), Some(G::Staffing));
    }
    if has("工作人员") || (group == G::Staffing && has("人员数")) {
        return (Some("staffing/staff_total"), Some(G::Staffing));
    }
    // 回应解读.
    if has("主要负责") {
        let key = if has("新闻发布会") || (group == G::Press && !has("在线访谈")) {
            Some("responses/press_conferences_principal")
        } else if has("在线访谈") || group == G::Interviews {
            Some("responses/online_interviews_principal")
        } else {
            None
        };
        return (key, None);
    }
    if has("在线访谈") {
        return (Some("responses/online_interviews"), Some(G::Interviews));
    }
    if has("新闻发布会") {
        return (Some("responses/press_conferences"), Some(G::Press));
    }
    if has("回应") && (has("热点") || has("舆情")) {
        return (Some("responses/hot_topics"), Some(G::Responses));
    }
    if has("解读稿件") || (has("政策解读") && !has("回应")) {
        return (Some("responses/interpretations"), Some(G::Responses));
    }
    if has("微博") && has("微信") && has("回应") {
        return (Some("responses/weibo_wechat"), Some(G::Responses));
    }
    if has("其他方式回应") || (has("回应") && has("其他")) {
        return (Some("responses/other"), Some(G::Responses));
    }
    if has("回应") {
        return (None, Some(G::Responses));
    }
    // Review, litigation, complaints; their outcomes by group.
    if has("维持") || has("驳回") {
        return match group {
            G::Review => (Some("admin_review/upheld"), None),
            G::Litigation => (Some("litigation/upheld_or_dismissed"), None),
            _ => (None, None),
        };
    }
    if has("纠错") || has("纠正") {
        return match group {
            G::Review => (Some("admin_review/corrected"), None),
            G::Litigation => (Some("litigation/corrected"), None),
            _ => (None, None),
        };
    }
    if has("法律法规规定的其他") || (has("其他情形") && group == G::Denied) {
        return (Some("denied_reasons/other_legal"), None);
    }
    if has("其他情形") {
        return match group {
            G::Review => (Some("admin_review/other"), None),
            G::Litigation => (Some("litigation/other"), None),
            _ => (None, None),
        };
    }
    if has("行政复议") && has("行政诉讼") {
        return (None, None);
    }
    if has("行政复议") {
        return (Some("admin_review/total"), Some(G::Review));
    }
    if has("行政诉讼") {
        return (Some("litigation/total"), Some(G::Litigation));
    }
    if any(&["申诉", "举报", "投诉"]) {
        return (Some("complaints"), None);
    }
    // Reasons for refusal.
    if has("国家秘密") {
        return (Some("denied_reasons/state_secret"), None);
    }
    if has("商业秘密") {
        return (Some("denied_reasons/commercial_secret"), None);
    }
    if has("个人隐私") {
        return (Some("denied_reasons/privacy"), None);
    }
    if any(&["国家安全", "公共安全", "社会稳定", "经济安全"]) {
        return (Some("denied_reasons/security_stability"), None);
    }
    if has("所指政府信息") || has("不是政府信息") {
        return (Some("denied_reasons/not_gov_info"), None);
    }
    // Replies.
    if has("其他类型") {
        return (None, None);
    }
    if has("答复")
        && (has("总数") || has("申请答复") || l == "答复数")
        && !any(&["同意", "否决", "不予", "部分", "其他"])
    {
        return (Some("replies_total"), Some(G::Replies));
    }
    if has("已主动公开") {
        return (Some("replies/already_public"), Some(G::Replies));
    }
    if has("部分公开") {
        return (Some("replies/partially_granted"), Some(G::Replies));
    }
    if any(&["不同意公开", "否决公开", "不予公开"]) {
        return (Some("replies/denied"), Some(G::Denied));
    }
    if has("同意公开") {
        return (Some("replies/granted"), Some(G::Replies));
    }
    if any(&["不属于本", "非本机关", "非本部门", "非本行政机关"]) {
        return (Some("replies/not_this_agency"), Some(G::Replies));
    }
    if has("信息不存在") {
        return (Some("replies/not_exist"), Some(G::Replies));
    }
    if has("更改补充") {
        return (Some("replies/asked_to_amend"), Some(G::Replies));
    }
    if has("其他途径") {
        return (Some("replies/other_channel"), Some(G::Replies));
    }
    // Requests.
    if has("办结") {
        if has("按时") {
            return (Some("closed_on_time"), Some(G::Closed));
        }
        if has("延期") {
            return (Some("closed_extended"), Some(G::Closed));
        }
        return (Some("requests_closed"), Some(G::Closed));
    }
    let request_row = has("申请") || group == G::Requests;
    if has("申请") && (has("收到") || has("受理") || has("总数")) && !has("公开申请情况")
    {
        return (Some("requests_received"), Some(G::Requests));
    }
    if request_row {
        if has("信函") && has("传真") {
            return (None, Some(G::Requests));
        }
        if has("当面") {
            return (Some("requests_by_channel/in_person"), Some(G::Requests));
        }
        if has("传真") {
            return (Some("requests_by_channel/fax"), Some(G::Requests));
        }
        if has("邮件") {
            return (Some("requests_by_channel/email"), Some(G::Requests));
        }
        if has("网上") || has("网络") {
            return (Some("requests_by_channel/online"), Some(G::Requests));
        }
        if has("信函") || has("来信") {
            return (Some("requests_by_channel/letter"), Some(G::Requests));
        }
        if has("其他") {
            return (Some("requests_by_channel/other"), Some(G::Requests));
        }
    }
    if has("依申请") {
        return (None, Some(G::Requests));
    }
    // Proactive disclosure.
    if has("规范性文件") {
        if has("制发") {
            return (Some("normative_docs_issued"), Some(G::Proactive));
        }
        if has("主动公开") {
            return (Some("proactive_normative_docs"), Some(G::Proactive));
        }
        return (None, None);
    }
    let channel_row = has("公开") || group == G::Proactive;
    if channel_row && !has("渠道") {
        if has("公报") {
            return (Some("proactive_by_channel/gazette"), Some(G::Proactive));
        }
        if has("网站") {
            return (Some("proactive_by_channel/website"), Some(G::Proactive));
        }
        if has("微博") {
            return (Some("proactive_by_channel/weibo"), Some(G::Proactive));
        }
        if has("微信") {
            return (Some("proactive_by_channel/wechat"), Some(G::Proactive));
        }
        if has("其他方式") || has("其他形式") {
            return (Some("proactive_by_channel/other"), Some(G::Proactive));
        }
    }
    if has("全文电子化") {
        return (Some("e_text_rate_pct"), Some(G::Proactive));
    }
    if has("主动公开") && (has("信息") || has("文件")) && has("数") {
        return (Some("proactive_total"), Some(G::Proactive));
    }
    if has("主动公开") {
        return (None, Some(G::Proactive));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::labels::normalize;

    fn key(label: &str, group: Group) -> Option<&'static str> {
        let (l, _) = clean(&normalize(label));
        classify(&l, group).0
    }

    #[test]
    fn labels() {
        use Group as G;
        for (label, group, want) in [
            (
                "其中：1．网站公开 条",
                G::Proactive,
                Some("proactive_by_channel/website"),
            ),
            ("主动公开信息数 条", G::None, Some("proactive_total")),
            (
                "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
                G::None,
                Some("proactive_total"),
            ),
            (
                "1．政府公报公开政府信息数",
                G::Proactive,
                Some("proactive_by_channel/gazette"),
            ),
            (
                "2．政府网站在线访谈次数",
                G::Responses,
                Some("responses/online_interviews"),
            ),
            (
                "其中：主要负责同志参加新闻发布会次数",
                G::Press,
                Some("responses/press_conferences_principal"),
            ),
            (
                "其中：主要负责同志参加次数",
                G::Interviews,
                Some("responses/online_interviews_principal"),
            ),
            ("3.信函、传真申请数条", G::Requests, None),
            (
                "4. 网上申请数 条",
                G::Requests,
                Some("requests_by_channel/online"),
            ),
            (
                "受理依申请公开信息总数",
                G::Proactive,
                Some("requests_received"),
            ),
            ("对申请的答复总数", G::Requests, Some("replies_total")),
            ("3．否决公开答复总数", G::Replies, Some("replies/denied")),
            ("4.其他类型答复数", G::Replies, None),
            ("3．否决公开答复总数 条", G::Replies, Some("replies/denied")),
            ("政府信息公开收费减免金额元", G::None, None),
            ("接受行政申诉、举报数件", G::None, Some("complaints")),
            (
                "（一）维持具体行政行为或者驳回原告诉讼请求数",
                G::Litigation,
                Some("litigation/upheld_or_dismissed"),
            ),
            ("（三）其他情形数", G::Review, Some("admin_review/other")),
            (
                "法律法规规定的其他情形",
                G::Denied,
                Some("denied_reasons/other_legal"),
            ),
            (
                "1．专职人员数（不包括政府公报及政府网站工作人员数）",
                G::Staffing,
                Some("staffing/staff_fulltime"),
            ),
            ("（三）接受培训人员数", G::Meetings, Some("trainees")),
            (
                "七、依申请公开信息收取的费用",
                G::None,
                Some("fees_collected_wan_yuan"),
            ),
            (
                "5．其他方式公开政府信息数",
                G::Proactive,
                Some("proactive_by_channel/other"),
            ),
            (
                "5．其他方式回应事件数",
                G::Responses,
                Some("responses/other"),
            ),
            (
                "1．属于已主动公开范围数",
                G::Replies,
                Some("replies/already_public"),
            ),
        ] {
            assert_eq!(key(label, group), want, "{label}");
        }
    }
}
