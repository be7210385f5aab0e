//! The what-if simulation of a session as the API takes and answers it
//! (`GET` and `POST /api/sessions/{id}/what-if`): grille-server scores the
//! session's candidates a second time under the edited settings and
//! compares (the engine's [`WhatIf`]); the page of [`crate::what_if`]
//! renders the answer. The types live here, below the server, so that the
//! page sends and reads them by field. grille-server re-exports them.
//!
//! Nothing of this is stored: the answer is computed for the request and
//! forgotten.

use grille_competence::LocalizedText;
use grille_scoring::decimal::DECIMAL_PATTERN;
use grille_scoring::engine::WhatIf;
use grille_scoring::{CandidateResult, Conversion, GradeScale, PassRule, Reconciliation, Rounding};
use grille_workflow::{SessionKind, SessionState};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the board changes, on a copy of the session's pinned grading
/// scheme and blueprint. Each member left out keeps the pinned value; a
/// member given replaces the pinned one whole (as in the scheme file, so
/// that its problems are named by the same pointers: `/pass_rule/...`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    /// The grade scale (its pass mark decides "insufficient").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<GradeScale>,
    /// How points become a position grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion: Option<Conversion>,
    /// Rounding steps and directions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// The pass rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_rule: Option<PassRule>,
    /// Changes of exam parts: weight and reconciliation mode, by part id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartEdit>,
}

/// A change of one exam part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartEdit {
    /// The blueprint part id.
    pub part: String,
    /// The weight of the part grade in the overall grade (0 to 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub weight: Option<Decimal>,
    /// How the examiners' evaluations of the part's positions make their
    /// grade: `agreed`, `mean` or `arbitration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<Reconciliation>,
}

/// The settings a simulation used (or the pinned ones): what the page's
/// form shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WhatIfSettings {
    /// The grade scale.
    pub scale: GradeScale,
    /// The conversion of points into grades.
    pub conversion: Conversion,
    /// The rounding.
    pub rounding: Rounding,
    /// The pass rule.
    pub pass_rule: PassRule,
    /// Every exam part, in blueprint order.
    pub parts: Vec<PartSetting>,
}

/// One exam part's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PartSetting {
    /// The part id.
    pub part: String,
    /// The part's title.
    pub title: LocalizedText,
    /// The part's weight.
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// The reconciliation mode.
    pub reconciliation: Reconciliation,
}

/// The answer: the pinned settings, those simulated, and every candidate
/// whose grades or decision would change. Nothing was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WhatIfView {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub name: String,
    /// The workflow state.
    pub state: SessionState,
    /// Official or mock.
    pub kind: SessionKind,
    /// `true` once finalised.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Always `false`: a simulation never stores anything, and the
    /// official results stay as they are.
    pub saved: bool,
    /// Whether the simulated settings differ from the pinned ones.
    pub edited: bool,
    /// The session's own settings.
    pub pinned: WhatIfSettings,
    /// The settings simulated.
    pub simulated: WhatIfSettings,
    /// The comparison: counts and every candidate that changes.
    pub comparison: WhatIf,
    /// The simulated result of each candidate that changes, with the
    /// engine's explanation, in the order of `comparison.changes`.
    pub explanations: Vec<CandidateResult>,
}

/// A decimal as the scheme files write it: a string such as `"1.5"` or
/// an integer.
fn decimal_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["string", "integer"], "pattern": DECIMAL_PATTERN })
}

/// An optional decimal (`null` or left out: unchanged).
fn optional_decimal_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["string", "integer", "null"], "pattern": DECIMAL_PATTERN })
}
