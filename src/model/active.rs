//! Table 2: 主动公开政府信息情况.
//!
//! Fields that exist in only one template are `Option<Count>`: `None` is absent from the
//! JSON, `Some(None)` is `null`.

use serde::{Deserialize, Serialize};

use super::Count;

/// Table 2.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActiveDisclosure {
    /// 规章.
    pub regulations: DocRow,
    /// （行政）规范性文件.
    pub normative_documents: DocRow,
    /// 行政许可.
    pub admin_licensing: ItemRow,
    /// 其他对外管理服务事项 (2019 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_admin_services: Option<ItemRow>,
    /// 行政处罚.
    pub admin_penalty: ItemRow,
    /// 行政强制.
    pub admin_coercion: ItemRow,
    /// 行政事业性收费.
    pub admin_fees: Fees,
    /// 政府集中采购 (2019 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub central_procurement: Option<Procurement>,
}

/// A row of 第二十条第（一）项 (规章, 规范性文件).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRow {
    /// 本年新制作数量 (2019) / 本年制发件数 (2021).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Count>,
    /// 本年新公开数量 (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_new: Option<Count>,
    /// 对外公开总数量 (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_total: Option<Count>,
    /// 本年废止件数 (2021).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repealed: Option<Count>,
    /// 现行有效件数 (2021).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<Count>,
}

/// A row of 第二十条第（五）/（六）项 (行政许可, 行政处罚, …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    /// （本年）处理决定数量.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Count>,
    /// 上一年项目数量 (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_prev_year: Option<Count>,
    /// 本年增/减, signed (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_change: Option<Count>,
}

/// 第二十条第（八）项: 行政事业性收费.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Fees {
    /// 本年收费金额 in 万元 (2021).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_wan_yuan: Option<Option<f64>>,
    /// 上一年项目数量 (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_prev_year: Option<Count>,
    /// 本年增/减 (2019).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_change: Option<Count>,
}

/// 第二十条第（九）项: 政府集中采购 (2019 only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Procurement {
    /// 采购项目数量.
    pub projects: Count,
    /// 采购总金额, as written.
    pub total_amount: Option<f64>,
    /// The unit written in the cell (`元`, `万元`), or `None`.
    pub total_amount_unit: Option<String>,
}
