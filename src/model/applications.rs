//! Table 3: 收到和处理政府信息公开申请情况.

use serde::{Deserialize, Serialize};

use super::Count;

/// The seven value columns, as JSON keys, in template order.
pub const COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
];

/// The seven value columns' Chinese names, in template order.
pub const COLUMN_NAMES_ZH: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// How `extras` labels a printed 法人或其他组织 subtotal column (after the row's label).
pub const SUBTOTAL_COLUMN: &str = "法人或其他组织小计";

/// One row of table 3: a figure per applicant column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// 自然人.
    pub natural_person: Count,
    /// 法人或其他组织 · 商业企业.
    pub commercial_enterprise: Count,
    /// 法人或其他组织 · 科研机构.
    pub research_institution: Count,
    /// 法人或其他组织 · 社会公益组织.
    pub social_welfare_org: Count,
    /// 法人或其他组织 · 法律服务机构.
    pub legal_service_org: Count,
    /// 法人或其他组织 · 其他.
    pub other_org: Count,
    /// 总计.
    pub total: Count,
}

impl Row {
    /// The figures in column order.
    pub fn values(&self) -> [Count; 7] {
        [
            self.natural_person,
            self.commercial_enterprise,
            self.research_institution,
            self.social_welfare_org,
            self.legal_service_org,
            self.other_org,
            self.total,
        ]
    }

    /// A row from figures in column order.
    pub fn from_values(v: [Count; 7]) -> Self {
        Row {
            natural_person: v[0],
            commercial_enterprise: v[1],
            research_institution: v[2],
            social_welfare_org: v[3],
            legal_service_org: v[4],
            other_org: v[5],
            total: v[6],
        }
    }

    /// Column-wise sum of rows, `None` in a column where every row is `None`.
    pub fn sum<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Row {
        let mut acc: [Count; 7] = [None; 7];
        for r in rows {
            for (a, v) in acc.iter_mut().zip(r.values()) {
                if let Some(v) = v {
                    *a = Some(a.unwrap_or(0).saturating_add(v));
                }
            }
        }
        Row::from_values(acc)
    }
}

/// Table 3.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applications {
    /// 一、本年新收政府信息公开申请数量.
    pub new_received: Row,
    /// 二、上年结转政府信息公开申请数量.
    pub carried_over: Row,
    /// 三、本年度办理结果.
    pub results: Results,
    /// 四、结转下年度继续办理.
    pub carried_forward: Row,
}

/// 三、本年度办理结果.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    /// （一）予以公开.
    pub granted: Row,
    /// （二）部分公开.
    pub partially_granted: Row,
    /// （三）不予公开.
    pub denied: Denied,
    /// （四）无法提供.
    pub unable: Unable,
    /// （五）不予处理.
    pub not_processed: NotProcessed,
    /// （六）其他处理.
    pub other: OtherResults,
    /// （七）总计.
    pub total: Row,
}

/// （三）不予公开.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denied {
    /// 1.属于国家秘密.
    pub state_secret: Row,
    /// 2.其他法律行政法规禁止公开.
    pub prohibited_by_law: Row,
    /// 3.危及“三安全一稳定”.
    pub security_stability: Row,
    /// 4.保护第三方合法权益.
    pub third_party_rights: Row,
    /// 5.属于三类内部事务信息.
    pub internal_affairs: Row,
    /// 6.属于四类过程性信息.
    pub process_info: Row,
    /// 7.属于行政执法案卷.
    pub enforcement_file: Row,
    /// 8.属于行政查询事项.
    pub admin_query: Row,
    /// Subtotal, derived (Σ 1–8).
    pub total: Row,
}

/// （四）无法提供.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unable {
    /// 1.本机关不掌握相关政府信息.
    pub not_held: Row,
    /// 2.没有现成信息需要另行制作.
    pub needs_creation: Row,
    /// 3.补正后申请内容仍不明确.
    pub unclear_after_correction: Row,
    /// Subtotal, derived (Σ 1–3).
    pub total: Row,
}

/// （五）不予处理.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotProcessed {
    /// 1.信访举报投诉类申请.
    pub petition: Row,
    /// 2.重复申请.
    pub repeated: Row,
    /// 3.要求提供公开出版物.
    pub publication: Row,
    /// 4.无正当理由大量反复申请.
    pub excessive: Row,
    /// 5.要求行政机关确认或重新出具已获取信息.
    pub confirm_existing: Row,
    /// Subtotal, derived (Σ 1–5).
    pub total: Row,
}

/// （六）其他处理: three rows in 2021 (total derived), one printed row in 2019.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherResults {
    /// 1.申请人无正当理由逾期不补正… (2021 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_correction: Option<Row>,
    /// 2.申请人逾期未按收费通知要求缴纳费用… (2021 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_unpaid: Option<Row>,
    /// 3.其他 (2021 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Row>,
    /// Printed in 2019; derived (Σ 1–3) in 2021.
    pub total: Row,
}

/// Every row of table 3 that holds figures, printed or derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum RowKey {
    NewReceived,
    CarriedOver,
    Granted,
    PartiallyGranted,
    StateSecret,
    ProhibitedByLaw,
    SecurityStability,
    ThirdPartyRights,
    InternalAffairs,
    ProcessInfo,
    EnforcementFile,
    AdminQuery,
    DeniedTotal,
    NotHeld,
    NeedsCreation,
    UnclearAfterCorrection,
    UnableTotal,
    Petition,
    Repeated,
    Publication,
    Excessive,
    ConfirmExisting,
    NotProcessedTotal,
    NoCorrection,
    FeeUnpaid,
    OtherOther,
    OtherTotal,
    ResultsTotal,
    CarriedForward,
}

impl RowKey {
    /// Every key, in template order.
    pub const ALL: [RowKey; 29] = [
        RowKey::NewReceived,
        RowKey::CarriedOver,
        RowKey::Granted,
        RowKey::PartiallyGranted,
        RowKey::StateSecret,
        RowKey::ProhibitedByLaw,
        RowKey::SecurityStability,
        RowKey::ThirdPartyRights,
        RowKey::InternalAffairs,
        RowKey::ProcessInfo,
        RowKey::EnforcementFile,
        RowKey::AdminQuery,
        RowKey::DeniedTotal,
        RowKey::NotHeld,
        RowKey::NeedsCreation,
        RowKey::UnclearAfterCorrection,
        RowKey::UnableTotal,
        RowKey::Petition,
        RowKey::Repeated,
        RowKey::Publication,
        RowKey::Excessive,
        RowKey::ConfirmExisting,
        RowKey::NotProcessedTotal,
        RowKey::NoCorrection,
        RowKey::FeeUnpaid,
        RowKey::OtherOther,
        RowKey::OtherTotal,
        RowKey::ResultsTotal,
        RowKey::CarriedForward,
    ];

    /// The row's JSON Pointer under `/applications`.
    pub fn pointer(self) -> &'static str {
        use RowKey::*;
        match self {
            NewReceived => "/applications/new_received",
            CarriedOver => "/applications/carried_over",
            Granted => "/applications/results/granted",
            PartiallyGranted => "/applications/results/partially_granted",
            StateSecret => "/applications/results/denied/state_secret",
            ProhibitedByLaw => "/applications/results/denied/prohibited_by_law",
            SecurityStability => "/applications/results/denied/security_stability",
            ThirdPartyRights => "/applications/results/denied/third_party_rights",
            InternalAffairs => "/applications/results/denied/internal_affairs",
            ProcessInfo => "/applications/results/denied/process_info",
            EnforcementFile => "/applications/results/denied/enforcement_file",
            AdminQuery => "/applications/results/denied/admin_query",
            DeniedTotal => "/applications/results/denied/total",
            NotHeld => "/applications/results/unable/not_held",
            NeedsCreation => "/applications/results/unable/needs_creation",
            UnclearAfterCorrection => "/applications/results/unable/unclear_after_correction",
            UnableTotal => "/applications/results/unable/total",
            Petition => "/applications/results/not_processed/petition",
            Repeated => "/applications/results/not_processed/repeated",
            Publication => "/applications/results/not_processed/publication",
            Excessive => "/applications/results/not_processed/excessive",
            ConfirmExisting => "/applications/results/not_processed/confirm_existing",
            NotProcessedTotal => "/applications/results/not_processed/total",
            NoCorrection => "/applications/results/other/no_correction",
            FeeUnpaid => "/applications/results/other/fee_unpaid",
            OtherOther => "/applications/results/other/other",
            OtherTotal => "/applications/results/other/total",
            ResultsTotal => "/applications/results/total",
            CarriedForward => "/applications/carried_forward",
        }
    }

    /// The row's label in the template.
    pub fn label_zh(self) -> &'static str {
        use RowKey::*;
        match self {
            NewReceived => "一、本年新收政府信息公开申请数量",
            CarriedOver => "二、上年结转政府信息公开申请数量",
            Granted => "（一）予以公开",
            PartiallyGranted => "（二）部分公开",
            StateSecret => "（三）1.属于国家秘密",
            ProhibitedByLaw => "（三）2.其他法律行政法规禁止公开",
            SecurityStability => "（三）3.危及“三安全一稳定”",
            ThirdPartyRights => "（三）4.保护第三方合法权益",
            InternalAffairs => "（三）5.属于三类内部事务信息",
            ProcessInfo => "（三）6.属于四类过程性信息",
            EnforcementFile => "（三）7.属于行政执法案卷",
            AdminQuery => "（三）8.属于行政查询事项",
            DeniedTotal => "（三）不予公开（小计）",
            NotHeld => "（四）1.本机关不掌握相关政府信息",
            NeedsCreation => "（四）2.没有现成信息需要另行制作",
            UnclearAfterCorrection => "（四）3.补正后申请内容仍不明确",
            UnableTotal => "（四）无法提供（小计）",
            Petition => "（五）1.信访举报投诉类申请",
            Repeated => "（五）2.重复申请",
            Publication => "（五）3.要求提供公开出版物",
            Excessive => "（五）4.无正当理由大量反复申请",
            ConfirmExisting => "（五）5.要求行政机关确认或重新出具已获取信息",
            NotProcessedTotal => "（五）不予处理（小计）",
            NoCorrection => "（六）1.申请人无正当理由逾期不补正",
            FeeUnpaid => "（六）2.申请人逾期未按收费通知要求缴纳费用",
            OtherOther => "（六）3.其他",
            OtherTotal => "（六）其他处理",
            ResultsTotal => "（七）总计",
            CarriedForward => "四、结转下年度继续办理",
        }
    }

    /// Whether the row is a subtotal the library derives (never printed in the template;
    /// （六） is derived only in 2021).
    pub fn is_subtotal(self) -> bool {
        matches!(
            self,
            RowKey::DeniedTotal | RowKey::UnableTotal | RowKey::NotProcessedTotal
        )
    }

    /// The leaf rows that make up `self` when it is a group subtotal.
    pub fn parts(self) -> &'static [RowKey] {
        use RowKey::*;
        match self {
            DeniedTotal => &[
                StateSecret,
                ProhibitedByLaw,
                SecurityStability,
                ThirdPartyRights,
                InternalAffairs,
                ProcessInfo,
                EnforcementFile,
                AdminQuery,
            ],
            UnableTotal => &[NotHeld, NeedsCreation, UnclearAfterCorrection],
            NotProcessedTotal => &[Petition, Repeated, Publication, Excessive, ConfirmExisting],
            OtherTotal => &[NoCorrection, FeeUnpaid, OtherOther],
            _ => &[],
        }
    }
}

impl Applications {
    /// The row at `key`, if the template has it.
    pub fn row(&self, key: RowKey) -> Option<&Row> {
        use RowKey::*;
        let r = &self.results;
        Some(match key {
            NewReceived => &self.new_received,
            CarriedOver => &self.carried_over,
            Granted => &r.granted,
            PartiallyGranted => &r.partially_granted,
            StateSecret => &r.denied.state_secret,
            ProhibitedByLaw => &r.denied.prohibited_by_law,
            SecurityStability => &r.denied.security_stability,
            ThirdPartyRights => &r.denied.third_party_rights,
            InternalAffairs => &r.denied.internal_affairs,
            ProcessInfo => &r.denied.process_info,
            EnforcementFile => &r.denied.enforcement_file,
            AdminQuery => &r.denied.admin_query,
            DeniedTotal => &r.denied.total,
            NotHeld => &r.unable.not_held,
            NeedsCreation => &r.unable.needs_creation,
            UnclearAfterCorrection => &r.unable.unclear_after_correction,
            UnableTotal => &r.unable.total,
            Petition => &r.not_processed.petition,
            Repeated => &r.not_processed.repeated,
            Publication => &r.not_processed.publication,
            Excessive => &r.not_processed.excessive,
            ConfirmExisting => &r.not_processed.confirm_existing,
            NotProcessedTotal => &r.not_processed.total,
            NoCorrection => r.other.no_correction.as_ref()?,
            FeeUnpaid => r.other.fee_unpaid.as_ref()?,
            OtherOther => r.other.other.as_ref()?,
            OtherTotal => &r.other.total,
            ResultsTotal => &r.total,
            CarriedForward => &self.carried_forward,
        })
    }

    /// Mutable access to the row at `key`, if the template has it.
    pub fn row_mut(&mut self, key: RowKey) -> Option<&mut Row> {
        use RowKey::*;
        let r = &mut self.results;
        Some(match key {
            NewReceived => &mut self.new_received,
            CarriedOver => &mut self.carried_over,
            Granted => &mut r.granted,
            PartiallyGranted => &mut r.partially_granted,
            StateSecret => &mut r.denied.state_secret,
            ProhibitedByLaw => &mut r.denied.prohibited_by_law,
            SecurityStability => &mut r.denied.security_stability,
            ThirdPartyRights => &mut r.denied.third_party_rights,
            InternalAffairs => &mut r.denied.internal_affairs,
            ProcessInfo => &mut r.denied.process_info,
            EnforcementFile => &mut r.denied.enforcement_file,
            AdminQuery => &mut r.denied.admin_query,
            DeniedTotal => &mut r.denied.total,
            NotHeld => &mut r.unable.not_held,
            NeedsCreation => &mut r.unable.needs_creation,
            UnclearAfterCorrection => &mut r.unable.unclear_after_correction,
            UnableTotal => &mut r.unable.total,
            Petition => &mut r.not_processed.petition,
            Repeated => &mut r.not_processed.repeated,
            Publication => &mut r.not_processed.publication,
            Excessive => &mut r.not_processed.excessive,
            ConfirmExisting => &mut r.not_processed.confirm_existing,
            NotProcessedTotal => &mut r.not_processed.total,
            NoCorrection => r.other.no_correction.as_mut()?,
            FeeUnpaid => r.other.fee_unpaid.as_mut()?,
            OtherOther => r.other.other.as_mut()?,
            OtherTotal => &mut r.other.total,
            ResultsTotal => &mut r.total,
            CarriedForward => &mut self.carried_forward,
        })
    }

    /// An empty table 3 of the 2021 format (with （六）'s three rows) or the 2019 format.
    pub fn new(with_other_split: bool) -> Self {
        let mut a = Applications::default();
        if with_other_split {
            a.results.other.no_correction = Some(Row::default());
            a.results.other.fee_unpaid = Some(Row::default());
            a.results.other.other = Some(Row::default());
        }
        a
    }

    /// Whether （六）其他处理 is split into three rows (2021 format).
    pub fn has_other_split(&self) -> bool {
        self.results.other.no_correction.is_some()
    }
}
