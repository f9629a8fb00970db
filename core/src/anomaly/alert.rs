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

    /// Why `x` was flagged, in words. Built by appending to one string (alert texts are written on every
    /// reported point, so a stream's cost per alert stays low); the numbers read as `format!` writes them.
    pub(crate) fn reason(&self, x: f64, s: Step) -> String {
        let mut t = Text(String::with_capacity(160));
        let score = s.score();
        let e = s.expected();
        match self.method {
            Method::BaselineRatio(p) => {
                t.num(x)
                    .s(" is ")
                    .fixed(score, 2, false)
                    .s("x the trailing ");
                t.int(p.window as u64).s("-period ").s(match p.statistic {
                    Statistic::Mean => "mean ",
                    Statistic::Median => "median ",
                });
                t.num(e).s(" (threshold ").short(p.ratio).s("x)");
            }
            Method::RobustZ(p) => {
                t.num(x).s(" is ").fixed(score, 1, true);
                t.s(" robust standard deviations from the trailing ")
                    .int(p.window as u64);
                t.s("-period median ")
                    .num(e)
                    .s(" (threshold ")
                    .short(p.threshold)
                    .s(")");
            }
            Method::Ewma(p) => {
                t.s("the EWMA (lambda ")
                    .short(p.lambda)
                    .s(") of values up to ")
                    .num(x);
                t.s(" is ")
                    .fixed(score, 1, true)
                    .s(" sigma from the in-control mean ")
                    .num(e);
                t.s(" (limit ").short(p.limit).s(")");
            }
            Method::Seasonal(p) => {
                t.num(x)
                    .s(" against ")
                    .num(e)
                    .s(" expected at this phase of the ");
                t.int(p.season_length as u64)
                    .s("-period season: ")
                    .fixed(score, 1, true);
                t.s(" robust standard deviations (threshold ")
                    .short(p.threshold)
                    .s(")");
            }
            Method::SeasonalEsd(p) => {
                t.num(x).s(" against ").num(e);
                t.s(" expected (seasonal + median): a generalized ESD outlier at alpha ")
                    .short(p.alpha);
                t.s(", ")
                    .fixed(score, 1, true)
                    .s(" robust standard deviations");
            }
            Method::Threshold(p) => {
                t.num(x).s(" past the threshold ").num(e).s(" for ");
                t.fixed(score * p.duration as f64, 0, false)
                    .s(" consecutive periods (duration ");
                t.int(p.duration as u64).s(")");
            }
            Method::Calibrated(p) => {
                t.num(x).s(": ");
                if s.scale <= 1 {
                    t.s("the value");
                } else {
                    t.s("the mean of the last ")
                        .int(u64::from(s.scale))
                        .s(" periods");
                }
                t.s(" is ").fixed(score, 1, true);
                match p.season_length {
                    Some(m) => {
                        t.s(" robust standard deviations from the expected ").num(e);
                        t.s(" (this phase of the last 4 seasons of ")
                            .int(m as u64)
                            .s(" periods, plus the trailing ")
                            .int(p.window as u64)
                            .s("-period median of the residuals)");
                    }
                    None => {
                        t.s(" robust standard deviations from the trailing ")
                            .int(p.window as u64)
                            .s("-period median ")
                            .num(e);
                    }
                }
                t.s(", past its calibrated threshold ")
                    .fixed(s.threshold, 1, false)
                    .s(" (the tail of this series' own scores that allows one false alarm per ");
                t.num(p.expected_false_alarms_per)
                    .s(" periods, generalized Pareto fit)");
                if s.escalated {
                    t.s("; raised in the refractory period of an earlier alert because it is more than ")
                        .s("twice that anomaly's largest score (to threshold): a new, stronger anomaly");
                }
            }
            Method::Auto(_) => {
                t.num(x)
                    .s(" against ")
                    .num(e)
                    .s(" expected, score ")
                    .fixed(score, 1, true);
            }
        }
        t.0
    }
}

/// A sentence being written: text and numbers appended in place, numbers as `format!` writes them.
struct Text(String);

impl Text {
    fn s(&mut self, text: &str) -> &mut Self {
        self.0.push_str(text);
        self
    }

    fn int(&mut self, v: u64) -> &mut Self {
        push_u64(&mut self.0, v);
        self
    }

    fn fixed(&mut self, x: f64, digits: u32, plus: bool) -> &mut Self {
        push_fixed(&mut self.0, x, digits, plus);
        self
    }

    /// At most two decimals, no trailing zeros; `none` for NaN.
    fn num(&mut self, x: f64) -> &mut Self {
        push_num(&mut self.0, x);
        self
    }

    fn short(&mut self, x: f64) -> &mut Self {
        push_short(&mut self.0, x);
        self
    }
}

/// Appends `v` in decimal.
fn push_u64(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// Appends `x` with `digits` decimals, a `+` on non-negative values when `plus`: the same text as
/// `format!("{x:.digits$}")` (or `{:+.digits$}`), which rounds the exact binary value. The fast way
/// scales by `10^digits` and rounds, and is taken only where that rounding cannot differ: finite values
/// below 10^15 once scaled, not within the product's error of a half; otherwise `format!` writes it.
fn push_fixed(out: &mut String, x: f64, digits: u32, plus: bool) {
    use std::fmt::Write;
    const POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let fast = POW10.get(digits as usize).and_then(|&p| {
        let scaled = x.abs() * p as f64;
        // One rounding: |scaled - |x| 10^d| <= 2^-53 scaled; keep clear of ties by more than that.
        let frac = scaled - scaled.floor();
        (scaled < 1e15 && (frac - 0.5).abs() > scaled * 4e-16).then(|| (scaled.round() as u64, p))
    });
    let Some((units, p)) = fast else {
        let d = digits as usize;
        // Writing to a String cannot fail.
        let _ = if plus {
            write!(out, "{x:+.d$}")
        } else {
            write!(out, "{x:.d$}")
        };
        return;
    };
    if x.is_sign_negative() {
        out.push('-');
    } else if plus {
        out.push('+');
    }
    push_u64(out, units / p);
    if digits > 0 {
        out.push('.');
        let dec = units % p;
        let mut scale = p / 10;
        while scale > 0 {
            out.push(char::from(b'0' + (dec / scale % 10) as u8));
            scale /= 10;
        }
    }
}

/// Drops trailing zeros after a decimal point written from `start`, and the point itself if bare.
fn trim_decimals(out: &mut String, start: usize) {
    if out[start..].contains('.') {
        let kept = out.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(kept);
    }
}

/// Appends a number for a sentence: at most two decimals, no trailing zeros, `none` for NaN.
fn push_num(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("none");
        return;
    }
    let start = out.len();
    push_fixed(out, x, 2, false);
    trim_decimals(out, start);
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

/// Appends a parameter as `format!("{x}")` writes it (the shortest text that reads back as `x`): values
/// with at most three decimals below 10^9 take the fast way (their three-decimal text, trimmed, is that
/// text).
fn push_short(out: &mut String, x: f64) {
    let thousandths = (x * 1000.0).round();
    if x.abs() < 1e9 && thousandths / 1000.0 == x && x != 0.0 {
        let start = out.len();
        push_fixed(out, x, 3, false);
        trim_decimals(out, start);
        return;
    }
    use std::fmt::Write;
    let _ = write!(out, "{x}");
}

/// `x` with `digits` decimals, as `format!("{x:.digits$}")` writes it.
#[cfg(test)]
fn fixed(x: f64, digits: u32, plus: bool) -> String {
    let mut s = String::new();
    push_fixed(&mut s, x, digits, plus);
    s
}

/// A parameter as `format!("{x}")` writes it.
#[cfg(test)]
fn short(x: f64) -> String {
    let mut s = String::new();
    push_short(&mut s, x);
    s
}

/// A number for a sentence: at most two decimals, no trailing zeros.
#[cfg(test)]
fn num(x: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, x);
    s
}

#[cfg(test)]
mod tests {
    use super::{fixed, num, short};
    use proptest::prelude::*;

    fn std_fixed(x: f64, d: usize, plus: bool) -> String {
        if plus {
            format!("{x:+.d$}")
        } else {
            format!("{x:.d$}")
        }
    }

    #[test]
    fn fixed_text_matches_the_standard_formatting_on_ties_and_edges() {
        // Exact binary ties (0.125, 2.5) round to even in the standard formatting; near-ties, zeros of
        // either sign, large and non-finite values all take or match the exact way.
        for x in [
            0.125,
            0.375,
            2.5,
            3.5,
            -2.5,
            0.005,
            1.005,
            0.045,
            0.0,
            -0.0,
            -0.001,
            1e15,
            9.99e14,
            123456789.125,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            f64::MAX,
            5e-324,
            0.95,
            0.05,
        ] {
            for d in 0..=7u32 {
                for plus in [false, true] {
                    assert_eq!(
                        fixed(x, d, plus),
                        std_fixed(x, d as usize, plus),
                        "{x} {d} {plus}"
                    );
                }
            }
        }
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(f64::NAN), "none");
        assert_eq!(short(0.2), "0.2");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(3.0), "3");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(1.0 / 3.0), format!("{}", 1.0 / 3.0));
    }

    proptest! {
        #[test]
        fn fixed_text_matches_the_standard_formatting(
            m in -1.0e6f64..1.0e6,
            e in -6i32..12,
            halves in -100_000i64..100_000,
            d in 0u32..=6,
            plus in any::<bool>(),
        ) {
            let x = m * 10f64.powi(e);
            prop_assert_eq!(fixed(x, d, plus), std_fixed(x, d as usize, plus));
            // Values at and next to decimal halves.
            let h = (halves as f64 + 0.5) / 10f64.powi(d as i32);
            for y in [h, h.next_up(), h.next_down()] {
                prop_assert_eq!(fixed(y, d, plus), std_fixed(y, d as usize, plus));
            }
        }

        #[test]
        fn short_text_matches_the_standard_formatting(thousandths in -10_000_000i64..10_000_000, m in -1.0e3f64..1.0e3) {
            let x = thousandths as f64 / 1000.0;
            prop_assert_eq!(short(x), format!("{x}"));
            prop_assert_eq!(short(m), format!("{m}"));
        }
    }
}
