//! Alerts: flagged points grouped into one alert per ongoing anomaly, with the reason in words.

use serde::{Deserialize, Serialize};

use super::{Method, Statistic, Step, nan_serde};

/// What kind of anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Above the expected value.
    Spike,
    /// Below the expected value.
    Drop,
    /// Past a fixed threshold for the required duration.
    Threshold,
}

/// How bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Past the detector's threshold.
    Warning,
    /// Twice as far past it (for a ratio `r`: at `2r - 1`; for a duration: twice as long).
    Critical,
}

/// One anomaly, however many periods it lasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// Sequence number within the series or stream (0, 1, ...).
    pub id: u64,
    /// Spike, drop or threshold.
    pub kind: AlertKind,
    /// The method that raised it.
    pub detector: String,
    /// Time of the first flagged point (its timestamp, or its index when there are none).
    pub time: f64,
    /// Time of the last flagged point so far.
    pub end: f64,
    /// Time of the most extreme point.
    pub peak_time: f64,
    /// Index of the first flagged point.
    pub start_index: u64,
    /// Index of the last flagged point.
    pub end_index: u64,
    /// The value at the peak.
    pub observed: f64,
    /// The expected value at the peak.
    #[serde(with = "nan_serde::scalar")]
    pub expected: f64,
    /// The score at the peak.
    pub score: f64,
    /// The worst severity reached.
    pub severity: Severity,
    /// Flagged points in it.
    pub points: u64,
    /// Still going (no `cooldown` quiet periods since its last flagged point).
    pub ongoing: bool,
    /// Why, in words, at the peak.
    pub reason: String,
}

/// What happened to an alert on this point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new anomaly.
    Opened,
    /// The ongoing anomaly got another flagged point (maybe a new peak or severity).
    Updated,
    /// The anomaly ended (`cooldown` quiet periods).
    Closed,
}

/// A change to an alert, as a stream reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertEvent {
    /// Opened, updated or closed.
    pub event: EventKind,
    /// The alert after the change.
    pub alert: Alert,
}

/// Groups flags into alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tracker {
    cooldown: u64,
    detector: String,
    open: Option<Alert>,
    quiet: u64,
    next_id: u64,
}

impl Tracker {
    pub(crate) fn new(cooldown: usize, detector: &str) -> Self {
        Tracker {
            cooldown: cooldown as u64,
            detector: detector.to_string(),
            open: None,
            quiet: 0,
            next_id: 0,
        }
    }

    /// The invariants a deserialised tracker must hold: counters within bounds, the open alert's id
    /// already issued.
    pub(crate) fn is_consistent(&self) -> bool {
        self.cooldown <= super::MAX_COUNT
            && self.quiet <= self.cooldown + 1
            && self.next_id <= super::MAX_COUNT
            && self.open.as_ref().is_none_or(|a| a.id < self.next_id)
    }

    pub(crate) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub(crate) fn open(&self) -> Option<&Alert> {
        self.open.as_ref()
    }

    /// A period with no flag: closes the open alert after `cooldown` of them.
    pub(crate) fn quiet(&mut self) -> Option<Alert> {
        self.open.as_ref()?;
        self.quiet += 1;
        if self.quiet > self.cooldown {
            let mut a = self.open.take()?;
            a.ongoing = false;
            return Some(a);
        }
        None
    }

    #[inline]
    pub(crate) fn observe(
        &mut self,
        index: u64,
        time: f64,
        x: f64,
        s: Step,
        explain: &Explainer<'_>,
    ) -> Option<AlertEvent> {
        if !s.flag {
            return self.quiet().map(|alert| AlertEvent {
                event: EventKind::Closed,
                alert,
            });
        }
        self.quiet = 0;
        let severity = if s.critical {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let kind = explain.kind(x, s.expected());
        match &mut self.open {
            Some(a) => {
                a.end = time;
                a.end_index = index;
                a.points += 1;
                a.severity = a.severity.max(severity);
                if s.score().abs() > a.score.abs() {
                    a.peak_time = time;
                    a.observed = x;
                    a.expected = s.expected();
                    a.score = s.score();
                    a.kind = kind;
                    a.reason = explain.reason(x, s);
                }
                Some(AlertEvent {
                    event: EventKind::Updated,
                    alert: a.clone(),
                })
            }
            None => {
                let a = Alert {
                    id: self.next_id,
                    kind,
                    detector: self.detector.clone(),
                    time,
                    end: time,
                    peak_time: time,
                    start_index: index,
                    end_index: index,
                    observed: x,
                    expected: s.expected(),
                    score: s.score(),
                    severity,
                    points: 1,
                    ongoing: true,
                    reason: explain.reason(x, s),
                };
                self.next_id += 1;
                self.open = Some(a.clone());
                Some(AlertEvent {
                    event: EventKind::Opened,
                    alert: a,
                })
            }
        }
    }

    /// The alert still open at the end of a batch.
    pub(crate) fn finish(&mut self) -> Option<Alert> {
        self.open.take()
    }
}

/// Turns a flagged point into words, per method (borrows the method: no copy per flagged point).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Explainer<'a> {
    method: &'a Method,
}

impl<'a> Explainer<'a> {
    pub(crate) fn new(method: &'a Method) -> Self {
        Explainer { method }
    }

    fn kind(&self, x: f64, expected: f64) -> AlertKind {
        match self.method {
            Method::Threshold(_) => AlertKind::Threshold,
            _ if x < expected => AlertKind::Drop,
            _ => AlertKind::Spike,
        }
    }

    pub(crate) fn reason(&self, x: f64, s: Step) -> String {
        let (o, e) = (num(x), num(s.expected()));
        match self.method {
            Method::BaselineRatio(p) => format!(
                "{o} is {:.2}x the trailing {}-period {} {e} (threshold {}x)",
                s.score(),
                p.window,
                match p.statistic {
                    Statistic::Mean => "mean",
                    Statistic::Median => "median",
                },
                p.ratio
            ),
            Method::RobustZ(p) => format!(
                "{o} is {:+.1} robust standard deviations from the trailing {}-period median {e} (threshold {})",
                s.score(),
                p.window,
                p.threshold
            ),
            Method::Ewma(p) => format!(
                "the EWMA (lambda {}) of values up to {o} is {:+.1} sigma from the in-control mean {e} (limit {})",
                p.lambda,
                s.score(),
                p.limit
            ),
            Method::Seasonal(p) => format!(
                "{o} against {e} expected at this phase of the {}-period season: {:+.1} robust standard deviations (threshold {})",
                p.season_length,
                s.score(),
                p.threshold
            ),
            Method::SeasonalEsd(p) => format!(
                "{o} against {e} expected (seasonal + median): a generalized ESD outlier at alpha {}, {:+.1} robust standard deviations",
                p.alpha,
                s.score()
            ),
            Method::Threshold(p) => format!(
                "{o} past the threshold {e} for {:.0} consecutive periods (duration {})",
                s.score() * p.duration as f64,
                p.duration
            ),
            Method::Auto(_) => format!("{o} against {e} expected, score {:+.1}", s.score()),
        }
    }
}

/// A number for a sentence: at most two decimals, no trailing zeros.
pub(crate) fn num(x: f64) -> String {
    if x.is_nan() {
        return "none".into();
    }
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}
