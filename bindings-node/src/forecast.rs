//! Forecasting for Node: `forecast`, `growthRate`, `exhaustion`, `savings`.

use napi::Env;
use napi::bindgen_prelude::{Float64Array, Unknown};
use napi_derive::napi;
use scaleplan::forecast as fc;
use serde_json::Value;

use crate::errors::{Result, guard};
use crate::estimate::{input, large_input};
use crate::numbers::numbers;
use crate::significance::object;

/// Options of `forecast`.
#[napi(object)]
pub struct ForecastOptions {
    /// "auto" (default), an ETS model such as "ETS(A,Ad,N)", or "seasonal_naive".
    pub model: Option<String>,
    /// Search the initial seasonal states by likelihood, as R does (slower, and on M3 less accurate than the default).
    pub thorough: Option<bool>,
}

/// A forecast: `mean`, `lower`, `upper` and the `model` it used.
#[napi(object)]
pub struct Forecast {
    /// E.g. "ETS(M,Ad,M)" or "SeasonalNaive(12)".
    pub model: String,
    /// Point forecasts.
    pub mean: Float64Array,
    /// Lower bounds.
    pub lower: Float64Array,
    /// Upper bounds.
    pub upper: Float64Array,
    /// Interval level in percent.
    pub level: f64,
    /// The season used, if any.
    pub season_length: Option<u32>,
    /// AICc of the chosen ETS model.
    pub aicc: Option<f64>,
    /// Standard deviation of the one-step errors.
    pub sigma: f64,
    /// Smoothing parameters `{ alpha, beta, gamma, phi }` and where the initial seasonal states came
    /// from (`initialSeason`: "first_seasons", "whole_series", "searched", or null without a season), or null.
    #[napi(
        ts_type = "{ alpha: number; beta: number; gamma: number; phi: number; initialSeason: 'first_seasons' | 'whole_series' | 'searched' | null } | null"
    )]
    pub params: Value,
    /// The models compared, best first.
    #[napi(ts_type = "{ model: string; aicc: number; weight: number }[]")]
    pub candidates: Value,
    /// What was done differently from the request, and why.
    pub notes: Vec<String>,
}

pub(crate) fn to_js(f: fc::Forecast) -> Result<Forecast> {
    Ok(Forecast {
        params: object(&f.params)?,
        candidates: object(&f.candidates)?,
        model: f.model,
        mean: Float64Array::new(f.mean),
        lower: Float64Array::new(f.lower),
        upper: Float64Array::new(f.upper),
        level: f.level,
        season_length: f.season_length.map(|m| m as u32),
        aicc: f.aicc,
        sigma: f.sigma,
        notes: f.notes,
    })
}

fn whole(field: &str, x: f64) -> Result<usize> {
    Ok(guard(|| scaleplan::count_from_f64(field, x))? as usize)
}

/// Forecasts `values` `horizon` periods ahead with a `level` % interval (default 95).
#[napi(
    ts_args_type = "values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastOptions | undefined | null"
)]
pub fn forecast(
    values: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<ForecastOptions>,
) -> Result<Forecast> {
    let (values, o) = forecast_input(values, horizon, season_length, level, options)?;
    to_js(guard(|| fc::forecast(&values, &o))?)
}

/// Options of `forecastMany`: `forecast`'s, and the threads to use (every core by default).
#[napi(object)]
pub struct ForecastManyOptions {
    /// As `forecast`'s.
    pub model: Option<String>,
    /// As `forecast`'s.
    pub thorough: Option<bool>,
    /// Threads (default: every core).
    pub threads: Option<f64>,
}

/// `forecast` on every series of a panel, in parallel over the cores: series `i` is
/// `values[offsets[i]..offsets[i + 1]]`; the forecasts in series order. A bad series is an error
/// naming it (`series[3].values[7] ...`).
#[napi(
    ts_args_type = "values: Float64Array | number[], offsets: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastManyOptions | undefined | null"
)]
pub fn forecast_many(
    values: Unknown,
    offsets: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<ForecastManyOptions>,
) -> Result<Vec<Forecast>> {
    let i = forecast_many_input(values, offsets, horizon, season_length, level, options)?;
    guard(|| i.run())?.into_iter().map(to_js).collect()
}

/// The arguments of `forecastMany` as the core reads them (shared with `forecastManyAsync`).
pub(crate) struct ForecastManyInput {
    values: Vec<f64>,
    offsets: Vec<usize>,
    options: fc::ForecastOptions,
    threads: Option<usize>,
}

impl ForecastManyInput {
    pub(crate) fn run(&self) -> scaleplan::Result<Vec<fc::Forecast>> {
        let p = scaleplan::panel::Panel::new(&self.values, &self.offsets)?;
        fc::forecast_many(&p, &self.options, self.threads)
    }
}

pub(crate) fn forecast_many_input(
    values: Unknown,
    offsets: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<ForecastManyOptions>,
) -> Result<ForecastManyInput> {
    let values = numbers("values", values)?.to_vec();
    let offsets = crate::numbers::offsets("offsets", offsets)?;
    let (model, thorough, threads) =
        options.map_or((None, None, None), |x| (x.model, x.thorough, x.threads));
    Ok(ForecastManyInput {
        values,
        offsets,
        options: core_options(horizon, season_length, level, model, thorough)?,
        threads: crate::numbers::threads(threads)?,
    })
}

/// Every forecast of `forecastMany` as its JS object.
pub(crate) fn many_to_js(fs: Vec<fc::Forecast>) -> Result<Vec<Forecast>> {
    fs.into_iter().map(to_js).collect()
}

/// The arguments of `forecast` as the core reads them (shared with `forecastAsync`).
pub(crate) fn forecast_input(
    values: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<ForecastOptions>,
) -> Result<(Vec<f64>, fc::ForecastOptions)> {
    let values = numbers("values", values)?.to_vec();
    let (model, thorough) = options.map_or((None, None), |x| (x.model, x.thorough));
    Ok((
        values,
        core_options(horizon, season_length, level, model, thorough)?,
    ))
}

/// The core's options from the arguments `forecast` and `backtest` share.
fn core_options(
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    model: Option<String>,
    thorough: Option<bool>,
) -> Result<fc::ForecastOptions> {
    let defaults = fc::ForecastOptions::default();
    Ok(fc::ForecastOptions {
        horizon: whole("horizon", horizon)?,
        season_length: season_length
            .map(|m| whole("season_length", m))
            .transpose()?,
        level: level.unwrap_or(defaults.level),
        model: match model.as_deref() {
            None | Some("auto") => fc::ModelChoice::Auto,
            Some("seasonal_naive") => fc::ModelChoice::SeasonalNaive,
            Some(m) => fc::ModelChoice::Ets(m.to_string()),
        },
        thorough: thorough.unwrap_or(false),
    })
}

/// Options of `backtest`: the forecast's (`model`, `thorough`) and the origins'.
#[napi(object)]
pub struct BacktestOptions {
    /// "auto" (default), an ETS model such as "ETS(A,Ad,N)", or "seasonal_naive".
    pub model: Option<String>,
    /// Search the initial seasonal states by likelihood, as R does.
    pub thorough: Option<bool>,
    /// Forecast origins (default 3).
    pub windows: Option<f64>,
    /// Periods between origins (default: the horizon).
    pub step: Option<f64>,
}

/// Rolling-origin backtest of `forecast(values, horizon, seasonLength, level, options)`: `windows`
/// origins `step` periods apart, the last `horizon` periods before the end; each window's forecast, sMAPE,
/// MASE and interval coverage, and the seasonal-naive benchmark's from the same origins.
#[napi(
    ts_args_type = "values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: BacktestOptions | undefined | null",
    ts_return_type = "Backtest"
)]
pub fn backtest(
    values: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<BacktestOptions>,
) -> Result<Value> {
    let i = backtest_input(values, horizon, season_length, level, options)?;
    object(&guard(|| i.run())?)
}

/// The arguments of `backtest` as the core reads them (shared with `backtestAsync`).
pub(crate) struct BacktestInput {
    values: Vec<f64>,
    options: fc::ForecastOptions,
    windows: usize,
    step: Option<usize>,
}

impl BacktestInput {
    pub(crate) fn run(&self) -> scaleplan::Result<fc::Backtest> {
        fc::backtest(&self.values, &self.options, self.windows, self.step)
    }
}

pub(crate) fn backtest_input(
    values: Unknown,
    horizon: f64,
    season_length: Option<f64>,
    level: Option<f64>,
    options: Option<BacktestOptions>,
) -> Result<BacktestInput> {
    let values = numbers("values", values)?.to_vec();
    let x = options.unwrap_or(BacktestOptions {
        model: None,
        thorough: None,
        windows: None,
        step: None,
    });
    Ok(BacktestInput {
        values,
        options: core_options(horizon, season_length, level, x.model, x.thorough)?,
        windows: x.windows.map_or(Ok(3), |w| whole("windows", w))?,
        step: x.step.map(|s| whole("step", s)).transpose()?,
    })
}

/// The compound growth rate per period: `{ rate, ci: [lo, hi], confidence, ... }`.
#[napi(
    ts_args_type = "values: Float64Array | number[]",
    ts_return_type = "GrowthRate"
)]
pub fn growth_rate(values: Unknown) -> Result<Value> {
    let values = numbers("values", values)?;
    object(&guard(|| fc::growth_rate(&values))?)
}

/// When `values` reach `capacity` within `horizon` periods: `{ period, upperPeriod, ... }` (null: not
/// within the horizon).
#[napi(
    ts_args_type = "values: Float64Array | number[], capacity: number, horizon: number, seasonLength?: number | undefined | null",
    ts_return_type = "Exhaustion"
)]
pub fn exhaustion(
    values: Unknown,
    capacity: f64,
    horizon: f64,
    season_length: Option<f64>,
) -> Result<Value> {
    let values = numbers("values", values)?;
    let h = whole("horizon", horizon)?;
    let m = season_length
        .map(|m| whole("season_length", m))
        .transpose()?;
    object(&guard(|| fc::exhaustion(&values, capacity, h, m))?)
}

/// Savings recommendations for resources under options (`{ asOf, downsizeBelow, ... }`).
#[napi(
    ts_args_type = "resources: Record<string, unknown>[], options: Record<string, unknown>",
    ts_return_type = "Recommendation[]"
)]
pub fn savings(env: &Env, resources: Unknown, options: Value) -> Result<Value> {
    let r: Vec<fc::savings::ResourceUsage> = large_input(env, resources)?;
    let o: fc::savings::SavingsOptions = input(options)?;
    object(&guard(|| fc::savings::recommend(&r, &o))?)
}

/// A recommendation after a lifecycle step ("approve", "implement", "reject", "expire") on `date` by
/// `actor`; the input is not changed.
#[napi(
    ts_args_type = "recommendation: Recommendation, step: string, date: string, actor?: string | undefined | null",
    ts_return_type = "Recommendation"
)]
pub fn recommendation_step(
    recommendation: Value,
    step: String,
    date: String,
    actor: Option<String>,
) -> Result<Value> {
    let mut r: fc::savings::Recommendation = input(recommendation)?;
    let s: fc::savings::Step = guard(|| step.parse())?;
    let d = guard(|| scaleplan::anomaly::budget::Date::parse("date", &date))?;
    guard(|| r.apply(s, d, actor.as_deref().unwrap_or("")))?;
    object(&r)
}
