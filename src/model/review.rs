//! Table 4: 政府信息公开行政复议、行政诉讼情况.

use serde::{Deserialize, Serialize};

use super::Count;

/// The five outcome keys of each group, in template order.
pub const OUTCOMES: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// Table 4.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLitigation {
    /// 行政复议.
    pub admin_review: Outcomes,
    /// 行政诉讼 · 未经复议直接起诉.
    pub litigation_direct: Outcomes,
    /// 行政诉讼 · 复议后起诉.
    pub litigation_after_review: Outcomes,
}

/// The five outcome columns of one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcomes {
    /// 结果维持.
    pub upheld: Count,
    /// 结果纠正.
    pub corrected: Count,
    /// 其他结果.
    pub other: Count,
    /// 尚未审结.
    pub pending: Count,
    /// 总计.
    pub total: Count,
}

impl Outcomes {
    /// The figures in template order.
    pub fn values(&self) -> [Count; 5] {
        [
            self.upheld,
            self.corrected,
            self.other,
            self.pending,
            self.total,
        ]
    }

    /// Mutable access by position in template order.
    pub fn slot_mut(&mut self, i: usize) -> Option<&mut Count> {
        match i {
            0 => Some(&mut self.upheld),
            1 => Some(&mut self.corrected),
            2 => Some(&mut self.other),
            3 => Some(&mut self.pending),
            4 => Some(&mut self.total),
            _ => None,
        }
    }
}

impl ReviewLitigation {
    /// The groups with their JSON keys, in template order.
    pub fn groups(&self) -> [(&'static str, &Outcomes); 3] {
        [
            ("admin_review", &self.admin_review),
            ("litigation_direct", &self.litigation_direct),
            ("litigation_after_review", &self.litigation_after_review),
        ]
    }
}
