//! The streaming form: push one point, get an alert event or none; the state serialises.

use serde::{Deserialize, Serialize};

use super::alert::{Explainer, Tracker};
use super::baseline::{Baseline, Trailing};
use super::calibrated::Calibrated;
use super::ewma::Ewma;
use super::robust_z::RobustZ;
use super::seasonal::Seasonal;
use super::threshold::Threshold;
use super::{Aggregate, AlertEvent, CalibratedParams, Method, Step, resolve};
use crate::check;
use crate::error::{Error, Result};

/// A detector's running state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum State {
    BaselineRatio(Baseline),
    RobustZ(RobustZ),
    Ewma(Ewma),
    Seasonal(Seasonal),
    Threshold(Threshold),
    Calibrated(Calibrated),
}

/// One detector's per-point update, so loops over many points can be written once and compiled per
/// detector (no dispatch per point).
pub(crate) trait Detect {
    fn step(&mut self, x: f64) -> Step;

    /// Feeds a slice to `v` (the loop of [`Stream::extend`] and of the batch [`super::detect`]): point
    /// by point through [`Detect::step`], unless the detector has a kernel that keeps its state in
    /// registers. A kernel leaves the same state and verdicts as the steps would, bit for bit.
    fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        feed_each(self, xs, v);
    }
}

macro_rules! detect_impl {
    ($($t:ty),*) => {$(
        impl Detect for $t {
            #[inline(always)]
            fn step(&mut self, x: f64) -> Step {
                <$t>::step(self, x)
            }
        }
    )*};
}
detect_impl!(Seasonal, Calibrated);

impl Detect for RobustZ {
    #[inline(always)]
    fn step(&mut self, x: f64) -> Step {
        RobustZ::step(self, x)
    }

    fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        RobustZ::feed(self, xs, v);
    }
}

impl Detect for Threshold {
    #[inline(always)]
    fn step(&mut self, x: f64) -> Step {
        Threshold::step(self, x)
    }

    fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        Threshold::feed(self, xs, v);
    }
}

impl Detect for Baseline {
    #[inline(always)]
    fn step(&mut self, x: f64) -> Step {
        Baseline::step(self, x)
    }

    fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        if !self.feed_kernel(xs, v) {
            feed_each(self, xs, v);
        }
    }
}

impl Detect for Ewma {
    #[inline(always)]
    fn step(&mut self, x: f64) -> Step {
        Ewma::step(self, x)
    }

    fn feed<V: Visit>(&mut self, xs: &[f64], v: &mut V) {
        Ewma::feed(self, xs, v);
    }
}

/// Where a detector's verdicts go: a stream's alert tracker (only flagged points, and every point while
/// an alert is open) or a batch's output arrays (every point).
pub(crate) trait Visit {
    /// Every point's verdict is wanted (a batch), not only those the tracker needs.
    const EVERY: bool;

    /// Index of the next point.
    fn index(&self) -> u64;

    fn set_index(&mut self, index: u64);

    /// An alert is open: the tracker must see every point.
    fn is_open(&self) -> bool;

    /// The verdict for the point at `index` (kernels call it for every point when [`Visit::EVERY`],
    /// else for flagged points and while [`Visit::is_open`], and advance the index themselves).
    fn put_at(&mut self, index: u64, x: f64, s: Step);

    /// The next point with its verdict.
    #[inline(always)]
    fn point(&mut self, x: f64, s: Step) {
        let i = self.index();
        if Self::EVERY || s.flag || self.is_open() {
            self.put_at(i, x, s);
        }
        self.set_index(i + 1);
    }
}

/// [`Stream::extend`]'s verdicts: to the alert tracker, which reports events.
pub(crate) struct Sink<'a> {
    tracker: &'a mut Tracker,
    method: &'a Method,
    index: u64,
    events: &'a mut Vec<AlertEvent>,
}

impl Visit for Sink<'_> {
    const EVERY: bool = false;

    #[inline(always)]
    fn index(&self) -> u64 {
        self.index
    }

    #[inline(always)]
    fn set_index(&mut self, index: u64) {
        self.index = index;
    }

    #[inline(always)]
    fn is_open(&self) -> bool {
        self.tracker.is_open()
    }

    /// Out of line and cold: kernels stay small.
    #[cold]
    #[inline(never)]
    fn put_at(&mut self, index: u64, x: f64, s: Step) {
        let explain = Explainer::new(self.method);
        if let Some(ev) = self.tracker.observe(index, index as f64, x, s, &explain) {
            self.events.push(ev);
        }
    }
}

/// The generic loop: one [`Detect::step`] per point.
#[inline(always)]
fn feed_each<D: Detect + ?Sized, V: Visit>(d: &mut D, xs: &[f64], v: &mut V) {
    for &x in xs {
        let s = d.step(x);
        v.point(x, s);
    }
}

/// Runs `f` with the state as a concrete detector: a loop inside `f` is monomorphised per detector.
macro_rules! with_detector {
    ($state:expr, $d:ident => $body:expr) => {
        match $state {
            $crate::anomaly::stream::State::BaselineRatio($d) => $body,
            $crate::anomaly::stream::State::RobustZ($d) => $body,
            $crate::anomaly::stream::State::Ewma($d) => $body,
            $crate::anomaly::stream::State::Seasonal($d) => $body,
            $crate::anomaly::stream::State::Threshold($d) => $body,
            $crate::anomaly::stream::State::Calibrated($d) => $body,
        }
    };
}
pub(crate) use with_detector;

impl State {
    /// The state of a concrete (resolved) method.
    pub(crate) fn new(m: &Method) -> Result<State> {
        Ok(match m {
            Method::BaselineRatio(p) => State::BaselineRatio(Baseline::new(
                p.window,
                p.statistic,
                p.ratio,
                p.direction,
                p.min_periods.unwrap_or((p.window / 2).max(1)),
            )),
            Method::RobustZ(p) => State::RobustZ(RobustZ::new(
                p.window,
                p.threshold,
                p.direction,
                p.min_periods.unwrap_or((p.window / 5).max(3)),
            )),
            Method::Ewma(p) => State::Ewma(Ewma::new(
                p.lambda,
                p.limit,
                p.direction,
                p.warmup,
                p.target,
                p.sigma,
            )),
            Method::Seasonal(p) => State::Seasonal(Seasonal::new(
                p.season_length,
                p.seasons,
                p.threshold,
                p.direction,
                p.window
                    .unwrap_or_else(|| super::seasonal_residual_window(p.season_length)),
            )),
            Method::Threshold(p) => {
                State::Threshold(Threshold::new(p.threshold, p.duration, p.direction))
            }
            Method::Calibrated(p) => State::Calibrated(Calibrated::new(
                p.window,
                &p.scales,
                p.expected_false_alarms_per,
                p.refractory as u64,
                p.warmup as u64,
                p.direction,
                p.season_length,
            )),
            Method::Auto(_) | Method::SeasonalEsd(_) => {
                return Err(Error::UnknownVariant {
                    field: "method".into(),
                    value: m.name().into(),
                    expected: "baseline_ratio, robust_z, ewma, seasonal, threshold (auto resolves to one of them; seasonal_esd is a batch test)",
                });
            }
        })
    }

    #[inline]
    pub(crate) fn step(&mut self, x: f64) -> Step {
        match self {
            State::BaselineRatio(d) => d.step(x),
            State::RobustZ(d) => d.step(x),
            State::Ewma(d) => d.step(x),
            State::Seasonal(d) => d.step(x),
            State::Threshold(d) => d.step(x),
            State::Calibrated(d) => d.step(x),
        }
    }

    fn is_consistent(&self) -> bool {
        match self {
            State::BaselineRatio(b) => match &b.window {
                Trailing::Mean(w) => w.is_consistent(),
                Trailing::Median(w) => w.is_consistent(),
            },
            State::RobustZ(r) => r.window.is_consistent(),
            State::Seasonal(s) => s.is_consistent(),
            State::Ewma(e) => e.is_consistent(),
            State::Threshold(t) => t.is_consistent(),
            State::Calibrated(c) => c.is_consistent(),
        }
    }
}

/// A streaming detector: [`Stream::push`] one value (or [`Stream::push_at`] with a timestamp), get an
/// [`AlertEvent`] when an alert opens, grows or closes. Work per point is O(1) (mean, EWMA, threshold,
/// seasonal) or O(log w) comparisons (median, robust z). The whole state serialises with
/// [`Stream::to_json`] and resumes with [`Stream::from_json`]; a stream and [`super::detect`] give the
/// same flags, scores and expected values on the same series.
///
/// # Example
/// ```
/// use scaleplan::anomaly::{EventKind, Method, Stream};
/// let mut s = Stream::new(&Method::baseline_ratio(7, 1.5), 1)?;
/// for _ in 0..10 { assert!(s.push(100.0)?.is_none()); }
/// let ev = s.push(200.0)?.unwrap();
/// assert_eq!(ev.event, EventKind::Opened);
/// let saved = s.to_json()?;
/// let mut resumed = scaleplan::anomaly::Stream::from_json(&saved)?;
/// assert_eq!(resumed.push(100.0)?, None);               // one quiet period: within the cooldown
/// assert_eq!(resumed.push(100.0)?.unwrap().event, EventKind::Closed);
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stream {
    method: Method,
    state: State,
    tracker: Tracker,
    /// Periods seen (missing included).
    t: u64,
    /// Step between timestamps for [`Stream::push_at`], fixed by the first two timestamps.
    step: Option<f64>,
    last_time: Option<f64>,
    first_time: Option<f64>,
    /// How [`Stream::push_at`] combines points that fall in one period.
    #[serde(default)]
    aggregate: Aggregate,
    /// The period [`Stream::push_at`] holds open until a point of a later period arrives.
    #[serde(default)]
    pending: Option<Pending>,
    /// What [`Stream::push_at`] did with the timestamps it was given.
    #[serde(default)]
    ingest: StreamIngest,
}

/// The period [`Stream::push_at`] holds open: the points that fall in it, combined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pending {
    /// The period's time: the first point's time, then the grid's `first + k × step`.
    time: f64,
    /// The combined value of its non-missing points so far (NaN when none).
    #[serde(with = "super::nan_serde::scalar")]
    value: f64,
    /// Non-missing points combined.
    count: u32,
    /// Scored already (by [`Stream::flush`]): a later point of it is late.
    #[serde(default)]
    scored: bool,
}

impl Pending {
    fn new(time: f64, x: f64) -> Pending {
        Pending {
            time,
            value: x,
            count: u32::from(!x.is_nan()),
            scored: false,
        }
    }

    /// The batch form's rule (series.rs): missing values are skipped; sums until the period closes.
    fn add(&mut self, x: f64, aggregate: Aggregate) {
        if x.is_nan() {
            return;
        }
        self.value = match (aggregate, self.count) {
            (_, 0) => x,
            (Aggregate::Mean | Aggregate::Sum, _) => self.value + x,
            (Aggregate::Max, _) => self.value.max(x),
            (Aggregate::Last, _) => x,
        };
        self.count = self.count.saturating_add(1);
    }

    fn value(&self, aggregate: Aggregate) -> f64 {
        match aggregate {
            Aggregate::Mean if self.count > 1 => self.value / f64::from(self.count),
            _ => self.value,
        }
    }

    fn is_consistent(&self) -> bool {
        self.time.is_finite()
            && !self.value.is_infinite()
            && (self.count == 0) == self.value.is_nan()
    }
}

/// What [`Stream::push_at`] did with the timestamps, as [`super::Ingest`] says for the batch form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamIngest {
    /// Points combined into a period that already had one (repeated timestamps, sub-step sampling).
    pub aggregated: u64,
    /// Points whose time came before the previous point's (a clock step backwards).
    pub out_of_order: u64,
    /// Points of a period already scored (late by more than the open period): counted, not scored.
    pub late: u64,
}

/// [`Stream::extend`] checks and feeds a long slice in runs of this many points (16 KiB: in L1 cache).
const CHECKED_RUN: usize = 2048;

/// Gaps longer than this many periods are replayed as this many missing periods (every window is then
/// empty anyway), so a stream never does unbounded work for one point.
const MAX_REPLAYED_GAP: u64 = 1_000_000;

impl Stream {
    /// A stream for `method` (`auto` becomes `seasonal` when it has a `season_length`, `robust_z`
    /// otherwise: a stream cannot look at the data first). `cooldown`: quiet periods that close an alert.
    ///
    /// # Errors
    /// The parameter errors of [`Method::validate`]; `unknown_variant` for `seasonal_esd`, which is a
    /// test on a whole series.
    pub fn new(method: &Method, cooldown: usize) -> Result<Stream> {
        method.validate()?;
        let resolved = match method {
            // a stream is long-lived: it learns its own tail, as `detect` does on long series
            Method::Auto(p) => Method::Calibrated(CalibratedParams {
                direction: p.direction,
                season_length: p.season_length,
                expected_false_alarms_per: p.budget(),
                ..CalibratedParams::default()
            }),
            other => resolve(other, &[], None),
        };
        Ok(Stream {
            state: State::new(&resolved)?,
            tracker: Tracker::new(cooldown, resolved.name()),
            method: resolved,
            t: 0,
            step: None,
            last_time: None,
            first_time: None,
            aggregate: Aggregate::default(),
            pending: None,
            ingest: StreamIngest::default(),
        })
    }

    /// The same stream combining the points [`Stream::push_at`] gets for one period by `aggregate`
    /// (default [`Aggregate::Mean`]; `Sum` for counts and costs), as [`super::detect_with`] does.
    pub fn with_aggregate(mut self, aggregate: Aggregate) -> Stream {
        self.aggregate = aggregate;
        self
    }

    /// The same stream with the step of [`Stream::push_at`]'s grid given (the export's period, in the
    /// unit of its times), instead of the difference of the first two periods' times: give it when an
    /// export's first points may be closer together than a period.
    ///
    /// # Errors
    /// `out_of_range` for a step that is not finite and positive.
    pub fn with_step(mut self, step: f64) -> Result<Stream> {
        if !(step.is_finite() && step > 0.0) {
            return Err(Error::OutOfRange {
                field: "step".into(),
                value: step,
                allowed: "a finite step > 0",
            });
        }
        self.step = Some(step);
        Ok(self)
    }

    /// What [`Stream::push_at`] did with the timestamps so far.
    pub fn ingest(&self) -> StreamIngest {
        self.ingest
    }

    /// Pushes the next period's value (NaN: missing). Time is the period's index.
    ///
    /// # Errors
    /// `not_finite` for an infinite value.
    #[inline]
    pub fn push(&mut self, x: f64) -> Result<Option<AlertEvent>> {
        if x.is_infinite() {
            return Err(Error::NotFinite {
                field: "value".into(),
                value: x,
            });
        }
        let time = self.t as f64;
        Ok(self.advance(time, x))
    }

    #[inline]
    fn advance(&mut self, time: f64, x: f64) -> Option<AlertEvent> {
        let s = self.state.step(x);
        let index = self.t;
        self.t += 1;
        if !s.flag && !self.tracker.is_open() {
            return None;
        }
        self.tracker
            .observe(index, time, x, s, &Explainer::new(&self.method))
    }

    /// Pushes many values, in order (as [`Stream::push`] on each, with the detector chosen once for the
    /// whole slice: the fast way to feed a stream a batch of points). Returns the alert events.
    ///
    /// # Errors
    /// `not_finite` for an infinite value, at its index in `xs`; the stream is then unchanged, as if no
    /// point had been pushed.
    pub fn extend(&mut self, xs: &[f64]) -> Result<Vec<AlertEvent>> {
        let mut events = Vec::new();
        if xs.len() <= CHECKED_RUN {
            check::no_infinity("values", xs, 0)?;
            self.feed(xs, &mut events);
            return Ok(events);
        }
        // A long slice is checked run by run, each just before it is fed (it is then read from cache,
        // not memory, a second time); the state is put back if a later run holds an infinity.
        let saved = self.clone();
        for (k, run) in xs.chunks(CHECKED_RUN).enumerate() {
            if let Err(e) = check::no_infinity("values", run, k * CHECKED_RUN) {
                *self = saved;
                return Err(e);
            }
            self.feed(run, &mut events);
        }
        Ok(events)
    }

    fn feed(&mut self, xs: &[f64], events: &mut Vec<AlertEvent>) {
        let mut sink = Sink {
            tracker: &mut self.tracker,
            method: &self.method,
            index: self.t,
            events,
        };
        with_detector!(&mut self.state, d => d.feed(xs, &mut sink));
        self.t = sink.index;
    }

    /// Pushes a value observed at `time` (any unit), as monitoring systems export them. The first two
    /// periods' times fix the step and the grid (`first + k × step`). A period is scored when it is
    /// complete: when the first point of a later period arrives (or at [`Stream::flush`]), so that
    /// points sharing it (repeated timestamps, sampling finer than the step, a clock step backwards
    /// within it) are combined by the stream's [`Aggregate`] first, as the batch form does; a gap of
    /// k steps is k - 1 missing periods. A point for a period already scored is counted in
    /// [`StreamIngest::late`] and not scored (the batch form, which sees the whole series, sorts it
    /// into its period). Returns the events of the periods this point closed.
    ///
    /// ```
    /// use scaleplan::anomaly::{Method, Stream};
    /// let mut s = Stream::new(&Method::baseline_ratio(3, 1.5), 1)?;
    /// for (t, x) in [(0.0, 10.0), (60.0, 10.0), (60.0, 12.0), (120.0, 10.0), (100.0, 8.0)] {
    ///     assert!(s.push_at(t, x)?.is_empty());
    /// }
    /// assert_eq!(s.ingest().aggregated, 2); // 60 s twice; 100 s is in the period of 120 s
    /// assert_eq!(s.ingest().out_of_order, 1);
    /// let events = s.push_at(180.0, 40.0)?; // closes 120 s (mean 9); 180 s is held open
    /// assert!(events.is_empty());
    /// assert_eq!(s.flush().len(), 1); // 40 ≥ 1.5 × the mean of 10, 11 and 9: an alert opens
    /// # Ok::<(), scaleplan::Error>(())
    /// ```
    ///
    /// # Errors
    /// `not_finite` for a NaN or infinite time or an infinite value.
    pub fn push_at(&mut self, time: f64, x: f64) -> Result<Vec<AlertEvent>> {
        check::finite("time", time)?;
        if x.is_infinite() {
            return Err(Error::NotFinite {
                field: "value".into(),
                value: x,
            });
        }
        if self.last_time.is_some_and(|last| time < last) {
            self.ingest.out_of_order += 1;
        }
        self.last_time = Some(time);
        let mut events = Vec::new();
        let Some(open) = &mut self.pending else {
            self.first_time = Some(time);
            self.pending = Some(Pending::new(time, x));
            return Ok(events);
        };
        let open_time = open.time;
        // the number of steps from the open period to this point's (0: the same period)
        let k = match self.step {
            Some(step) => ((time - open_time) / step).round(),
            // the step is not known before a second period: a point at the first time joins it
            None if time == open_time => 0.0,
            None if time < open_time => -1.0,
            None => {
                self.step = Some(time - open_time);
                1.0
            }
        };
        if k < 0.0 || (k == 0.0 && open.scored) {
            self.ingest.late += 1;
            return Ok(events);
        }
        if k == 0.0 {
            open.add(x, self.aggregate);
            self.ingest.aggregated += 1;
            return Ok(events);
        }
        let step = self.step.unwrap_or(1.0);
        if !open.scored {
            let closed = open.value(self.aggregate);
            if let Some(ev) = self.advance(open_time, closed) {
                events.push(ev);
            }
        }
        let missing = ((k as u64).saturating_sub(1)).min(MAX_REPLAYED_GAP);
        for j in 0..missing {
            if let Some(ev) = self.advance(open_time + (j + 1) as f64 * step, f64::NAN) {
                events.push(ev);
            }
        }
        self.pending = Some(Pending::new(open_time + k * step, x));
        Ok(events)
    }

    /// Scores the period [`Stream::push_at`] holds open (at the end of an export, or from a timer at
    /// the end of the period); the events it gives. A later point of that period is then late.
    pub fn flush(&mut self) -> Vec<AlertEvent> {
        let aggregate = self.aggregate;
        let Some(open) = self.pending.as_mut().filter(|p| !p.scored) else {
            return Vec::new();
        };
        open.scored = true;
        let (time, x) = (open.time, open.value(aggregate));
        self.advance(time, x).into_iter().collect()
    }

    /// The detector with its resolved parameters.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Periods seen so far, missing ones included.
    pub fn periods(&self) -> u64 {
        self.t
    }

    /// The open alert, if an anomaly is ongoing.
    pub fn open_alert(&self) -> Option<&super::Alert> {
        self.tracker.open()
    }

    /// The whole state as canonical JSON (NaN as `null`).
    ///
    /// # Errors
    /// `json` (not expected: every field serialises).
    pub fn to_json(&self) -> Result<String> {
        crate::json::to_string(self)
    }

    /// Resumes a stream saved with [`Stream::to_json`].
    ///
    /// # Errors
    /// `json` for malformed JSON; `invalid_state` when the state is inconsistent with itself (edited or
    /// corrupted), plus the parameter errors of [`Method::validate`].
    pub fn from_json(s: &str) -> Result<Stream> {
        let stream: Stream = crate::json::from_str(s)?;
        stream.method.validate()?;
        if !stream.state.is_consistent()
            || !stream.tracker.is_consistent()
            || stream.t > super::MAX_COUNT
            || stream.step.is_some_and(|s| !(s.is_finite() && s > 0.0))
            || stream.last_time.is_some_and(|t| !t.is_finite())
            || stream.first_time.is_some_and(|t| !t.is_finite())
            || stream.pending.as_ref().is_some_and(|p| !p.is_consistent())
            || !State::new(&stream.method).is_ok_and(|fresh| same_kind(&fresh, &stream.state))
        {
            return Err(Error::InvalidState {
                what: "Stream",
                reason: "the detector's windows do not match its method's parameters".into(),
            });
        }
        Ok(stream)
    }
}

/// A loaded state matches a fresh one built from its method: same windows and the same parameters
/// (a state whose copies of them were edited is refused).
fn same_kind(a: &State, b: &State) -> bool {
    match (a, b) {
        (State::BaselineRatio(x), State::BaselineRatio(y)) => {
            x.shape() == y.shape()
                && x.ratio == y.ratio
                && x.direction == y.direction
                && x.min_periods == y.min_periods
        }
        (State::RobustZ(x), State::RobustZ(y)) => {
            x.window.capacity() == y.window.capacity()
                && x.threshold == y.threshold
                && x.direction == y.direction
                && x.min_periods == y.min_periods
        }
        (State::Ewma(x), State::Ewma(y)) => {
            x.lambda == y.lambda
                && x.limit == y.limit
                && x.direction == y.direction
                && x.warmup == y.warmup
                && (x.target.is_none() || x.target == y.target)
                && (x.sigma.is_none() || x.sigma == y.sigma)
        }
        (State::Threshold(x), State::Threshold(y)) => {
            x.threshold == y.threshold && x.duration == y.duration && x.direction == y.direction
        }
        (State::Calibrated(x), State::Calibrated(y)) => {
            x.window_len == y.window_len
                && x.scales == y.scales
                && x.budget == y.budget
                && x.refractory == y.refractory
                && x.warmup == y.warmup
                && x.direction == y.direction
                && x.season.as_ref().map(|r| r.m) == y.season.as_ref().map(|r| r.m)
        }
        (State::Seasonal(x), State::Seasonal(y)) => {
            x.season_length == y.season_length
                && x.seasons == y.seasons
                && x.residual_capacity() == y.residual_capacity()
                && x.threshold == y.threshold
                && x.direction == y.direction
        }
        _ => false,
    }
}
