//! M/M/c queueing: Little's law and Erlang C.
//!
//! The probability of waiting comes from the Erlang-B recursion `B(0) = 1`,
//! `B(k) = a B(k−1) / (k + a B(k−1))` and `C = c B / (c − a (1 − B))`, which stays finite for offered
//! loads in the thousands where the factorial form overflows. With service time `s`, offered load
//! `a = λ s` and `c` servers (`a < c`): mean wait `W_q = C s / (c − a)`, service level
//! `P(W ≤ t) = 1 − C e^{−(c − a) t / s}`, and the wait percentile `w_p = s / (c − a) · ln(C / (1 − p))`
//! (0 when `p ≤ 1 − C`).

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Error, Result};

/// The largest server count [`min_servers`] searches before giving up.
pub const MAX_SERVERS: u64 = 10_000_000;

/// The result of [`erlang_c`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErlangC {
    /// Arrival rate λ (per unit of time).
    pub arrival_rate: f64,
    /// Mean service time `s` (same unit of time).
    pub mean_service_time: f64,
    /// Servers `c`.
    pub servers: u64,
    /// Offered load `a = λ s` in Erlangs; by Little's law, the mean number of busy servers.
    pub offered_load: f64,
    /// Server utilisation `ρ = a / c`.
    pub utilization: f64,
    /// Probability an arrival waits, `C(c, a)`.
    pub p_wait: f64,
    /// Mean wait in the queue, `W_q`.
    pub mean_wait: f64,
    /// Mean number waiting, `L_q = λ W_q` (Little's law).
    pub mean_queue_length: f64,
    /// `P(W ≤ answer_time)` when an answer time was given.
    pub service_level: Option<f64>,
    /// The answer time of `service_level`.
    pub answer_time: Option<f64>,
}

impl ErlangC {
    /// The `p`-quantile of the waiting time (0 when at least a share `p` of arrivals never wait).
    ///
    /// # Errors
    /// `out_of_range` unless `0 <= p < 1`.
    pub fn wait_percentile(&self, p: f64) -> Result<f64> {
        check::finite("p", p)?;
        if !(0.0..1.0).contains(&p) {
            return Err(Error::OutOfRange {
                field: "p".into(),
                value: p,
                allowed: "[0, 1)",
            });
        }
        Ok(wait_quantile(
            self.p_wait,
            self.mean_service_time,
            self.servers as f64 - self.offered_load,
            p,
        ))
    }

    /// `P(W ≤ t)`.
    ///
    /// # Errors
    /// `negative` / `not_finite` for a bad `t`.
    pub fn service_level_at(&self, t: f64) -> Result<f64> {
        check::non_negative("answer_time", t)?;
        Ok(service_level(
            self.p_wait,
            self.mean_service_time,
            self.servers as f64 - self.offered_load,
            t,
        ))
    }
}

/// Erlang C metrics of an M/M/c queue.
///
/// # Errors
/// `negative` / `not_finite` for bad rates or times, `out_of_range` for a zero arrival rate, service
/// time or server count, and `out_of_range` on `utilization` when `a >= c` (the queue grows without
/// bound: add servers).
///
/// # Example
/// ```
/// use scaleplan::estimate::erlang_c;
/// // 100 requests/s, 50 ms each: 5 Erlangs on 7 servers.
/// let q = erlang_c(100.0, 0.05, 7, Some(0.02))?;
/// assert!((q.p_wait - 0.324_149_949_173_288).abs() < 1e-12); // mpmath, testdata/estimate/erlang_c.json
/// assert!(q.service_level.unwrap() > 0.8);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn erlang_c(
    arrival_rate: f64,
    mean_service_time: f64,
    servers: u64,
    answer_time: Option<f64>,
) -> Result<ErlangC> {
    let a = offered_load(arrival_rate, mean_service_time)?;
    if servers == 0 {
        return Err(Error::OutOfRange {
            field: "servers".into(),
            value: 0.0,
            allowed: "whole numbers >= 1",
        });
    }
    if let Some(t) = answer_time {
        check::non_negative("answer_time", t)?;
    }
    let c = servers as f64;
    if a >= c {
        return Err(Error::OutOfRange {
            field: "utilization".into(),
            value: a / c,
            allowed: "(0, 1): the offered load must be below the server count, add servers",
        });
    }
    let p_wait = p_wait(a, servers);
    Ok(build(
        arrival_rate,
        mean_service_time,
        servers,
        a,
        p_wait,
        answer_time,
    ))
}

fn offered_load(arrival_rate: f64, mean_service_time: f64) -> Result<f64> {
    check::non_negative("arrival_rate", arrival_rate)?;
    check::non_negative("mean_service_time", mean_service_time)?;
    for (field, v) in [
        ("arrival_rate", arrival_rate),
        ("mean_service_time", mean_service_time),
    ] {
        if v == 0.0 {
            return Err(Error::OutOfRange {
                field: field.into(),
                value: v,
                allowed: "> 0",
            });
        }
    }
    let a = arrival_rate * mean_service_time;
    check::no_overflow(|| "erlang_c: the offered load".into(), &[a])?;
    Ok(a)
}

fn build(
    arrival_rate: f64,
    mean_service_time: f64,
    servers: u64,
    a: f64,
    p_wait: f64,
    answer_time: Option<f64>,
) -> ErlangC {
    let spare = servers as f64 - a;
    let mean_wait = p_wait * mean_service_time / spare;
    ErlangC {
        arrival_rate,
        mean_service_time,
        servers,
        offered_load: a,
        utilization: a / servers as f64,
        p_wait,
        mean_wait,
        mean_queue_length: arrival_rate * mean_wait,
        service_level: answer_time.map(|t| service_level(p_wait, mean_service_time, spare, t)),
        answer_time,
    }
}

/// Erlang B by the recursion, then Erlang C.
fn p_wait(a: f64, servers: u64) -> f64 {
    erlang_c_from_b(a, servers, erlang_b(a, 1..=servers))
}

/// Erlang B after the recursion steps `ks`, starting from `B(0) = 1`.
fn erlang_b(a: f64, ks: impl Iterator<Item = u64>) -> f64 {
    ks.fold(1.0, |b, k| erlang_b_step(a, b, k))
}

/// `B(k)` from `B(k − 1)`.
fn erlang_b_step(a: f64, b: f64, k: u64) -> f64 {
    a * b / (k as f64 + a * b)
}

/// Erlang C from Erlang B at `servers`.
fn erlang_c_from_b(a: f64, servers: u64, b: f64) -> f64 {
    let c = servers as f64;
    c * b / (c - a * (1.0 - b))
}

fn service_level(p_wait: f64, s: f64, spare: f64, t: f64) -> f64 {
    1.0 - p_wait * (-spare * t / s).exp()
}

fn wait_quantile(p_wait: f64, s: f64, spare: f64, p: f64) -> f64 {
    if p <= 1.0 - p_wait {
        0.0
    } else {
        s / spare * (p_wait / (1.0 - p)).ln()
    }
}

/// What [`min_servers`] must achieve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerCriterion {
    /// `P(W ≤ answer_time) >= value` (needs `answer_time`).
    ServiceLevelAtLeast,
    /// `P(wait) <= value`.
    PWaitAtMost,
    /// The `value`-quantile of the wait (e.g. 0.95) is at most `answer_time`.
    WaitPercentileAtMost,
}

impl std::str::FromStr for ServerCriterion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "service_level_at_least" => Ok(ServerCriterion::ServiceLevelAtLeast),
            "p_wait_at_most" => Ok(ServerCriterion::PWaitAtMost),
            "wait_percentile_at_most" => Ok(ServerCriterion::WaitPercentileAtMost),
            _ => Err(Error::UnknownVariant {
                field: "criterion".into(),
                value: s.into(),
                expected: "\"service_level_at_least\", \"p_wait_at_most\", \"wait_percentile_at_most\"",
            }),
        }
    }
}

/// The fewest servers meeting `criterion`, with the queue's metrics at that count.
///
/// * `service_level_at_least`: `P(W ≤ answer_time) >= value`, `value` in (0, 1);
/// * `p_wait_at_most`: `P(wait) <= value`, `value` in (0, 1];
/// * `wait_percentile_at_most`: the `value`-quantile of the wait (e.g. 0.95) is at most `answer_time`.
///
/// The search starts at the smallest stable count `floor(a) + 1` and walks up, updating Erlang B by one
/// recursion step per server, so it costs `O(c)` in total.
///
/// # Errors
/// As [`erlang_c`]; `out_of_range` for `value`; `empty_input` on `answer_time` when the criterion
/// needs one; `no_convergence` beyond [`MAX_SERVERS`].
///
/// # Example
/// ```
/// use scaleplan::estimate::{min_servers, ServerCriterion};
/// // 80% of requests answered within 20 ms at 100 req/s and 50 ms service: 7 servers.
/// let q = min_servers(100.0, 0.05, ServerCriterion::ServiceLevelAtLeast, 0.8, Some(0.02))?;
/// assert_eq!(q.servers, 7);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn min_servers(
    arrival_rate: f64,
    mean_service_time: f64,
    criterion: ServerCriterion,
    value: f64,
    answer_time: Option<f64>,
) -> Result<ErlangC> {
    let a = offered_load(arrival_rate, mean_service_time)?;
    check::finite("value", value)?;
    let in_open_unit = value > 0.0 && value < 1.0;
    let valid = match criterion {
        ServerCriterion::PWaitAtMost => value > 0.0 && value <= 1.0,
        _ => in_open_unit,
    };
    if !valid {
        return Err(Error::OutOfRange {
            field: "value".into(),
            value,
            allowed: "(0, 1) (p_wait_at_most also accepts 1)",
        });
    }
    let t = match (criterion, answer_time) {
        (ServerCriterion::PWaitAtMost, t) => t,
        (_, Some(t)) => Some(check::non_negative("answer_time", t)?),
        (_, None) => {
            return Err(Error::EmptyInput {
                field: "answer_time (this criterion needs it)".into(),
            });
        }
    };
    let start = (a.floor() as u64).saturating_add(1);
    if start > MAX_SERVERS {
        return Err(Error::NoConvergence {
            what: format!(
                "min_servers: the offered load {a} needs more than {MAX_SERVERS} servers"
            ),
        });
    }
    // Erlang B up to start - 1, then one step per candidate.
    let mut b = erlang_b(a, 1..start);
    for servers in start..=MAX_SERVERS {
        b = erlang_b_step(a, b, servers);
        let pw = erlang_c_from_b(a, servers, b);
        let spare = servers as f64 - a;
        let met = match criterion {
            ServerCriterion::PWaitAtMost => pw <= value,
            ServerCriterion::ServiceLevelAtLeast => {
                service_level(pw, mean_service_time, spare, t.unwrap_or(0.0)) >= value
            }
            ServerCriterion::WaitPercentileAtMost => {
                wait_quantile(pw, mean_service_time, spare, value) <= t.unwrap_or(0.0)
            }
        };
        if met {
            return Ok(build(arrival_rate, mean_service_time, servers, a, pw, t));
        }
    }
    Err(Error::NoConvergence {
        what: format!("min_servers: no count up to {MAX_SERVERS} meets the criterion"),
    })
}

/// [`min_servers`] for many arrival rates (e.g. an hourly traffic profile): the server count for each,
/// in input order.
///
/// # Errors
/// As [`min_servers`], naming the rate: `arrival_rates[3]`.
///
/// # Example
/// ```
/// use scaleplan::estimate::{min_servers_batch, ServerCriterion};
/// let c = min_servers_batch(&[50.0, 100.0], 0.05, ServerCriterion::ServiceLevelAtLeast, 0.8, Some(0.02))?;
/// assert_eq!(c[1], 7);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn min_servers_batch(
    arrival_rates: &[f64],
    mean_service_time: f64,
    criterion: ServerCriterion,
    value: f64,
    answer_time: Option<f64>,
) -> Result<Vec<u64>> {
    arrival_rates
        .iter()
        .enumerate()
        .map(|(i, &rate)| {
            check::positive(&check::at("arrival_rates", i), rate)?;
            min_servers(rate, mean_service_time, criterion, value, answer_time).map(|q| q.servers)
        })
        .collect()
}
