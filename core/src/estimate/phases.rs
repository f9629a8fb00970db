//! Growth phases (startup / growth / scale / enterprise) with hysteresis.
//!
//! Phases partition the user axis at increasing boundaries `b_1 < b_2 < ...` (`b_0 = 0`), so exactly
//! one phase is active for any user count. From the active phase `i`, [`GrowthPlan::recommend`] moves
//! **up** to the highest phase `j > i` with `users >= b_j × (1 + h)`, or **down** to the highest phase
//! `q < i` with `users >= b_q × (1 − h)` once `users < b_i × (1 − h)`; otherwise it stays. A count
//! hovering inside `[b (1 − h), b (1 + h))` therefore causes at most one transition (a proptest checks
//! this), and the phase reached is itself stable.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

fn default_hysteresis() -> f64 {
    0.1
}

/// What a phase should run and achieve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthPhase {
    /// Its name.
    pub name: String,
    /// The phase starts at this many users (the first phase at 0).
    pub min_users: f64,
    /// The configuration, in words (instances, database, cache, regions).
    pub configuration: String,
    /// Target p95 latency, in milliseconds.
    pub p95_ms: f64,
    /// Target availability, e.g. 0.999.
    pub availability: f64,
}

/// An ordered set of phases and the hysteresis between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthPlan {
    /// Phases in increasing `min_users`, the first at 0.
    pub phases: Vec<GrowthPhase>,
    /// Relative band around each boundary, in [0, 1) (default 0.1 = ±10%).
    #[serde(default = "default_hysteresis")]
    pub hysteresis: f64,
}

impl Default for GrowthPlan {
    /// startup (0+), growth (1,000+), scale (10,000+), enterprise (100,000+), ±10% hysteresis.
    fn default() -> Self {
        let p = |name: &str, min_users: f64, configuration: &str, p95_ms: f64, availability| {
            GrowthPhase {
                name: name.into(),
                min_users,
                configuration: configuration.into(),
                p95_ms,
                availability,
            }
        };
        GrowthPlan {
            phases: vec![
                p(
                    "startup",
                    0.0,
                    "1-2 app instances, single small database, no cache",
                    1000.0,
                    0.99,
                ),
                p(
                    "growth",
                    1_000.0,
                    "autoscaled app tier (2+), managed database with a replica, small cache",
                    500.0,
                    0.995,
                ),
                p(
                    "scale",
                    10_000.0,
                    "multi-zone app tier, larger database with read replicas, cache cluster",
                    300.0,
                    0.999,
                ),
                p(
                    "enterprise",
                    100_000.0,
                    "multi-region, sharded or clustered database, dedicated cache and queueing",
                    200.0,
                    0.9995,
                ),
            ],
            hysteresis: default_hysteresis(),
        }
    }
}

/// A recommended move between phases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseTransition {
    /// The phase left.
    pub from: String,
    /// The phase entered.
    pub to: String,
    /// The boundary crossed (`min_users` of the higher of the two phases).
    pub boundary: f64,
    /// The user count that had to be passed (boundary × (1 ± hysteresis)).
    pub threshold: f64,
    /// Why, in words.
    pub reason: String,
}

/// The result of [`GrowthPlan::recommend`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseRecommendation {
    /// The active phase afterwards (exactly one).
    pub phase: String,
    /// The transition, if one is recommended.
    pub transition: Option<PhaseTransition>,
}

impl GrowthPlan {
    /// Checks the plan.
    ///
    /// # Errors
    /// `empty_input`; `out_of_range` when the first phase does not start at 0, boundaries do not
    /// increase, or the hysteresis is outside [0, 1); `duplicate_name`.
    pub fn validate(&self) -> Result<()> {
        check::non_empty("phases", &self.phases)?;
        check::finite("hysteresis", self.hysteresis)?;
        if !(0.0..1.0).contains(&self.hysteresis) {
            return Err(Error::OutOfRange {
                field: "hysteresis".into(),
                value: self.hysteresis,
                allowed: "[0, 1)",
            });
        }
        let mut prev = -1.0;
        for (i, p) in self.phases.iter().enumerate() {
            let f = format!("phases[{i}].min_users");
            check::non_negative(&f, p.min_users)?;
            if (i == 0 && p.min_users != 0.0) || (i > 0 && p.min_users <= prev) {
                return Err(Error::OutOfRange {
                    field: f,
                    value: p.min_users,
                    allowed: "0 for the first phase, then strictly increasing",
                });
            }
            prev = p.min_users;
            if self.phases[..i].iter().any(|q| q.name == p.name) {
                return Err(Error::DuplicateName {
                    field: "phases".into(),
                    name: p.name.clone(),
                });
            }
        }
        Ok(())
    }

    /// The phase to be in at `users`, given the active phase (`None`: no phase yet, so the one whose
    /// range holds `users`, without hysteresis).
    ///
    /// # Errors
    /// As [`GrowthPlan::validate`]; `negative` / `not_finite` users; `unknown_variant` for an active
    /// phase the plan lacks.
    ///
    /// # Example
    /// ```
    /// use scaleplan::estimate::GrowthPlan;
    /// let plan = GrowthPlan::default();
    /// assert!(plan.recommend(Some("startup"), 1_050.0)?.transition.is_none()); // inside the band
    /// let r = plan.recommend(Some("startup"), 1_100.0)?;
    /// assert_eq!(r.phase, "growth");
    /// assert!(plan.recommend(Some("growth"), 950.0)?.transition.is_none());    // no flap back
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    pub fn recommend(&self, active: Option<&str>, users: f64) -> Result<PhaseRecommendation> {
        self.validate()?;
        check::non_negative("users", users)?;
        let h = self.hysteresis;
        let raw = self
            .phases
            .iter()
            .rposition(|p| p.min_users <= users)
            .unwrap_or(0);
        let Some(name) = active else {
            return Ok(PhaseRecommendation {
                phase: self.phases[raw].name.clone(),
                transition: None,
            });
        };
        let i = self
            .phases
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::UnknownVariant {
                field: "active phase".into(),
                value: name.to_string(),
                expected: "one of the plan's phase names",
            })?;
        let up = (i + 1..self.phases.len())
            .rev()
            .find(|&j| users >= self.phases[j].min_users * (1.0 + h));
        let down = if users < self.phases[i].min_users * (1.0 - h) {
            (0..i)
                .rev()
                .find(|&q| users >= self.phases[q].min_users * (1.0 - h))
        } else {
            None
        };
        let stay = PhaseRecommendation {
            phase: name.to_string(),
            transition: None,
        };
        let (to, boundary, threshold, dir) = match (up, down) {
            (Some(j), _) => {
                let b = self.phases[j].min_users;
                (j, b, b * (1.0 + h), "rose to")
            }
            (None, Some(q)) => {
                let b = self.phases[q + 1].min_users;
                (q, b, b * (1.0 - h), "fell to")
            }
            (None, None) => return Ok(stay),
        };
        Ok(PhaseRecommendation {
            phase: self.phases[to].name.clone(),
            transition: Some(PhaseTransition {
                from: name.to_string(),
                to: self.phases[to].name.clone(),
                boundary,
                threshold,
                reason: format!(
                    "users {dir} {users}, past {threshold} (the {boundary} boundary with ±{:.0}% hysteresis)",
                    100.0 * h
                ),
            }),
        })
    }
}
