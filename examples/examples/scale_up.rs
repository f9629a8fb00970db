//! The main job: read a committed sample experiment and policy, print the analysis as a table and the
//! readiness verdict with its reasons; then, for a winner, the scale-up estimate (items, one-time,
//! monthly, first-month and first-year totals with a low / expected / high range, and the assumptions)
//! and the annual impact of the lift; then the rollout: a gradual rollout across three regions (one wave
//! per region) through the simulated deployer, gated on simulated metric windows, with one pause and
//! resume, to completion; and a second rollout that rolls back on an error spike. Rollout state lives in a
//! SQLite file (`target/scale_up/rollouts.db`) that is reopened and verified at the end. Last, a month
//! of daily costs after the rollout: one spike detected and explained, the monthly budget's status with
//! its threshold alert, and a 3-month cost projection with its interval. The rollout's own windows end
//! in an SLO report (availability, error budget in minutes, burn rates, p95 compliance) per day, after a
//! 48-hour predictive schedule of the scaled service's capacity with its backtest.
//!
//! Run: `cargo run -p scaleplan-examples --example scale_up [experiment.json policy.json]`

use std::process::ExitCode;

use scaleplan::deploy::SimulatedDeployer;
use scaleplan::estimate::{
    EstimateRequest, ImpactInput, LiftRange, PriceCatalog, ResourceEstimate, estimate, impact,
};
use scaleplan::rollout::{
    Actor, Command, DecisionKind, GatePolicy, Role, RolloutPlan, Scope, Service, Status, Timestamp,
    WaveMode, Window,
};
use scaleplan::significance::{MetricRole, Readiness, assess_readiness};
use scaleplan::store::{SqliteStore, Store};

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".to_string(), |v| format!("{:+.2}%", 100.0 * v))
}

fn print(r: &Readiness) {
    println!("Experiment: {}\n", r.experiment);
    println!(
        "{:<22} {:<10} {:>12} {:>12} {:>9} {:>22} {:>10} {:>10}  verdict",
        "metric", "role", "control", "treatment", "lift", "lift CI", "p", "adj. p"
    );
    for v in &r.verdicts {
        let ci = v.relative_ci.map_or("n/a".to_string(), |c| {
            format!("[{:+.2}%, {:+.2}%]", 100.0 * c.lo, 100.0 * c.hi)
        });
        println!(
            "{:<22} {:<10} {:>12.6} {:>12.6} {:>9} {:>22} {:>10.3e} {:>10}  {:?}",
            v.metric,
            format!("{:?}", v.role).to_lowercase(),
            v.control_value,
            v.treatment_value,
            pct(v.relative_lift),
            ci,
            v.p_value,
            v.adjusted_p_value
                .map_or("-".to_string(), |p| format!("{p:.3e}")),
            v.verdict
        );
    }
    println!("\nReady to scale: {}", if r.ready { "YES" } else { "NO" });
    for reason in &r.reasons {
        println!(
            "  [{}] {:<15} {}",
            if reason.passed { "pass" } else { "FAIL" },
            reason.rule,
            reason.message
        );
    }
}

fn print_estimate(e: &ResourceEstimate) {
    let c = &e.configuration;
    println!(
        "\nScale-up estimate: {} -> {} users ({:.1} peak req/s, {} x {}, database {}, cache {})",
        e.original_users,
        e.target_users,
        c.sizing.peak_rps,
        c.sizing.instances,
        c.instance_type,
        c.database_tier.as_deref().unwrap_or("-"),
        c.cache_tier.as_deref().unwrap_or("-")
    );
    for (item, line) in e.line_items.iter().zip(&e.totals.line_totals) {
        println!(
            "  {:<46} {:>10} x {:>10} = {:>12} {} {}",
            item.name,
            item.quantity,
            item.unit_price,
            line.total,
            e.currency,
            if line.kind == scaleplan::estimate::CostKind::OneTime {
                "one-time"
            } else {
                "/month"
            }
        );
    }
    let t = &e.totals;
    println!("  {:<46} {:>38} {}", "One-time", t.one_time, e.currency);
    println!("  {:<46} {:>38} {}", "Monthly", t.monthly, e.currency);
    println!(
        "  {:<46} {:>38} {}",
        "Total, first month", t.first_month, e.currency
    );
    println!(
        "  {:<46} {:>38} {}",
        "Total, first year", t.first_year, e.currency
    );
    let r = &e.range;
    println!(
        "  Monthly range: low {} / expected {} / high {} {} ({} / {} / {} instances)",
        r.low.totals.monthly,
        r.expected.totals.monthly,
        r.high.totals.monthly,
        e.currency,
        r.low.instances,
        r.expected.instances,
        r.high.instances
    );
    println!("  Assumptions:");
    for a in &e.assumptions {
        println!("    - {a}");
    }
    for w in &e.warnings {
        println!("  WARNING: {w}");
    }
}

/// The estimate and impact step, for the primary metric's lift and interval.
fn scale_step(
    r: &Readiness,
    dir: &str,
    read: &dyn Fn(&str) -> scaleplan::Result<String>,
) -> scaleplan::Result<()> {
    let Some(primary) = r.verdicts.iter().find(|v| v.role == MetricRole::Primary) else {
        return Ok(());
    };
    let (Some(lift), Some(ci)) = (primary.relative_lift, primary.relative_ci) else {
        return Ok(());
    };
    let lift = LiftRange {
        low: ci.lo,
        expected: lift,
        high: ci.hi,
    };
    let catalog = PriceCatalog::from_toml(&read(&format!("{dir}/catalog.toml"))?)?;
    let doc: serde_json::Value =
        scaleplan::json::from_str(&read(&format!("{dir}/estimate.json"))?)?;
    let mut request: EstimateRequest = scaleplan::json::from_str(&doc["request"].to_string())?;
    request.lift = Some(lift);
    let e = estimate(&request, &catalog)?;
    print_estimate(&e);
    let mut input = doc["impact"].clone();
    input["users"] = request.target_users.into();
    input["baseline_rate"] = primary.control_value.into();
    input["lift"] =
        serde_json::json!({"low": lift.low, "expected": lift.expected, "high": lift.high});
    let i = impact(&scaleplan::json::from_str::<ImpactInput>(
        &input.to_string(),
    )?)?;
    println!(
        "\nImpact of `{}` at {} users: {} / {} / {} {} a year (low / expected / high; lift {:+.1}% [{:+.1}%, {:+.1}%])",
        primary.metric,
        request.target_users,
        i.low.annual_value,
        i.expected.annual_value,
        i.high.annual_value,
        i.currency,
        100.0 * lift.expected,
        100.0 * lift.low,
        100.0 * lift.high
    );
    for a in &i.assumptions {
        println!("    - {a}");
    }
    println!(
        "\nFirst-year cost {} {} against an expected first-year value of {} {}.",
        e.totals.first_year, e.currency, i.expected.annual_value, i.currency
    );
    Ok(())
}

fn run() -> scaleplan::Result<bool> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let experiment_path = args
        .first()
        .cloned()
        .unwrap_or(format!("{dir}/experiment.json"));
    let policy_path = args.get(1).cloned().unwrap_or(format!("{dir}/policy.json"));
    let read = |p: &str| {
        std::fs::read_to_string(p).map_err(|e| scaleplan::Error::Json {
            what: "file",
            line: 0,
            column: 0,
            message: format!("{p}: {e}"),
        })
    };
    let experiment = scaleplan::json::from_str(&read(&experiment_path)?)?;
    let policy = scaleplan::json::from_str(&read(&policy_path)?)?;
    let r = assess_readiness(&experiment, &policy)?;
    print(&r);
    if r.ready {
        scale_step(&r, dir, &read)?;
        let windows = rollout_step()?;
        operate_step()?;
        schedule_step(dir, &read)?;
        slo_step(&windows)?;
    } else {
        println!("\nNot ready to scale: no estimate.");
    }
    Ok(r.ready)
}

/// A recorded-like 5-minute window: steady traffic with a little deterministic noise; `errors_per_10k`
/// and `p95_ms` set the health.
fn window(start: Timestamp, seq: u64, errors_per_10k: u64, p95_ms: f64) -> Window {
    let noise = (seq.wrapping_mul(2_654_435_761) >> 7) % 400; // Knuth's multiplicative hash
    let requests = 4_000 + noise;
    let mut w = Window::new(
        start,
        start.plus(300),
        requests,
        requests * errors_per_10k / 10_000,
        Some(p95_ms + (noise % 40) as f64),
    );
    w.rows_added = Some(requests / 2);
    w.growth_bounds = Some([1_500, 2_500]);
    w
}

fn storage(e: std::io::Error) -> scaleplan::Error {
    scaleplan::Error::Storage {
        message: e.to_string(),
    }
}

type Svc = Service<SqliteStore, SimulatedDeployer>;

/// Ticks every 5 minutes until the rollout leaves `Running`/paused states or `limit` ticks pass; prints
/// every decision that is not a hold. `health(seq)` gives the window's errors per 10,000 and p95.
fn drive(
    svc: &Svc,
    id: &str,
    from: Timestamp,
    ticks: u64,
    health: impl Fn(u64) -> (u64, f64),
    operator: &Actor,
) -> scaleplan::Result<Timestamp> {
    let monitor = Actor::new("prometheus-bridge", Role::Monitor);
    let mut t = from;
    for seq in 0..ticks {
        if seq == 30 && id == "checkout-v2" {
            let at = t.plus(60);
            svc.execute(
                id,
                Command::Pause {
                    actor: operator.clone(),
                    reason: Some("database maintenance window".into()),
                },
                at,
                None,
                None,
            )?;
            println!(
                "  {at}  pause by {} (database maintenance window)",
                operator.id
            );
        }
        if seq == 36 && id == "checkout-v2" {
            let at = t.plus(60);
            svc.execute(
                id,
                Command::Resume {
                    actor: operator.clone(),
                },
                at,
                None,
                None,
            )?;
            println!("  {at}  resume by {}", operator.id);
        }
        let (errors, p95) = health(seq);
        let w = window(t, seq, errors, p95);
        let end = w.end;
        let out = svc.observe(
            id,
            &monitor,
            Some(w),
            vec![end],
            end,
            Some(&format!("tick-{}", end.unix())),
        )?;
        if let Some(d) = &out.decision
            && d.decision != DecisionKind::Hold
        {
            let p = svc.progress(id, end)?;
            let why: Vec<&str> = d.reasons.iter().map(|r| r.code()).collect();
            println!(
                "  {end}  {:<24} wave {} phase {} at {:>5}  overall {:>6.2}%  ({})",
                d.decision.as_str(),
                p.wave + 1,
                d.phase,
                d.traffic_pct.to_string(),
                p.overall_pct,
                why.join(", ")
            );
        }
        t = end;
        if out.state.is_terminal() {
            break;
        }
    }
    Ok(t)
}

fn rollout_step() -> scaleplan::Result<Vec<Window>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/scale_up");
    std::fs::create_dir_all(&dir).map_err(storage)?;
    let db = dir.canonicalize().map_err(storage)?.join("rollouts.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let svc = Service::new(SqliteStore::open(&db)?, SimulatedDeployer::new(45));
    let carol = Actor::new("carol", Role::OperationsManager);
    let olga = Actor::new("olga", Role::Operator);
    let t0 = Timestamp::parse("2025-06-02T08:00:00Z").ok_or_else(|| {
        scaleplan::Error::InvalidReplay {
            field: "t0".into(),
            message: "bad example time".into(),
        }
    })?;

    let regions = vec![
        "eu-west".to_string(),
        "us-east".to_string(),
        "ap-south".to_string(),
    ];
    let plan = RolloutPlan::gradual(Scope::Regions { regions }, WaveMode::Sequential)?;
    println!("
Rollout checkout-v2: gradual 10% -> 25% -> 50% -> 100% (2 h, 4 h, 6 h, 24 h clean), one region per wave");
    svc.create("checkout-v2", plan, GatePolicy::default(), &carol, t0)?;
    svc.execute(
        "checkout-v2",
        Command::Start {
            actor: carol.clone(),
        },
        t0,
        Some(0),
        Some("start"),
    )?;
    // healthy: 0.2 % errors, p95 around 300 ms; one slow spell of three windows in wave 1 that stays
    // under the limit
    let end = drive(
        &svc,
        "checkout-v2",
        t0,
        2_000,
        |seq| {
            (
                20,
                if (50..53).contains(&seq) {
                    460.0
                } else {
                    300.0
                },
            )
        },
        &olga,
    )?;
    let p = svc.progress("checkout-v2", end)?;
    for target in &p.targets {
        println!(
            "  {:<9} {:?} at {}",
            target.name, target.status, target.traffic_pct
        );
    }
    println!(
        "  state {:?}, {} decisions, started {}",
        p.state,
        svc.store().decisions("checkout-v2")?.len(),
        p.started_at.map_or("-".into(), |t| t.to_string())
    );

    println!(
        "
Rollout search-v3: the same plan in one region; errors jump to 3 % after 50 minutes"
    );
    let plan = RolloutPlan::gradual(
        Scope::Regions {
            regions: vec!["eu-west".into()],
        },
        WaveMode::Sequential,
    )?;
    svc.create("search-v3", plan, GatePolicy::default(), &carol, t0)?;
    svc.execute(
        "search-v3",
        Command::Start {
            actor: carol.clone(),
        },
        t0,
        None,
        None,
    )?;
    drive(
        &svc,
        "search-v3",
        t0,
        100,
        |seq| (if seq >= 10 { 300 } else { 20 }, 310.0),
        &olga,
    )?;
    let r = svc.rollout("search-v3")?;
    if let Some(rb) = &r.rollback {
        println!(
            "  rolled back: decided {}, confirmed {} ({} s; objective < {} s: {})",
            rb.decided_at,
            rb.confirmed_at.map_or("-".into(), |t| t.to_string()),
            rb.duration_secs.unwrap_or(-1),
            r.policy.rollback_sla,
            if rb.sla_met == Some(true) {
                "met"
            } else {
                "MISSED"
            }
        );
    }

    drop(svc);
    let store = SqliteStore::open(&db)?;
    println!(
        "
Reopened {}:",
        db.display()
    );
    for id in store.rollout_ids()? {
        let r = store
            .load_rollout(&id)?
            .ok_or(scaleplan::Error::UnknownRollout { id: id.clone() })?;
        let audit = store.audit(&id)?;
        let check = scaleplan::rollout::verify(&audit);
        println!(
            "  {id:<12} {:<12} version {:>5}  {} audit events, chain {}",
            r.status.as_str(),
            r.version,
            audit.len(),
            if check.intact { "intact" } else { "BROKEN" }
        );
    }
    let done = store.load_rollout("checkout-v2")?.map(|r| r.status);
    if done != Some(Status::Completed) {
        return Err(scaleplan::Error::IllegalTransition {
            rollout: "checkout-v2".into(),
            state: "not completed",
            command: "example",
        });
    }
    println!(
        "  inspect: sqlite3 {} \"select seq, event from audit where rollout_id = 'search-v3'\"",
        db.display()
    );
    store.windows("checkout-v2")
}

/// Two weeks of hourly request rates of the scaled service (a working-day curve, quieter weekends), a
/// 48-hour predictive schedule from them, and its backtest over the last week.
fn schedule_step(
    dir: &str,
    read: &dyn Fn(&str) -> scaleplan::Result<String>,
) -> scaleplan::Result<()> {
    use scaleplan::estimate::{
        CapacityModel, ScheduleOptions, backtest_schedule, predictive_schedule,
    };
    let catalog = PriceCatalog::from_toml(&read(&format!("{dir}/catalog.toml"))?)?;
    let t0 = 1_782_864_000; // 2026-07-01T00:00:00Z, a Wednesday
    let ts: Vec<Timestamp> = (0..24 * 14)
        .map(|h| Timestamp::from_unix(t0 + 3_600 * h))
        .collect();
    let history: Vec<f64> = (0..24 * 14_i64)
        .map(|h| {
            let (day, hour) = (h / 24, (h % 24) as f64);
            let busy = (std::f64::consts::PI * (hour - 7.0) / 14.0).sin().max(0.0);
            let weekend = if (day + 3) % 7 >= 5 { 0.6 } else { 1.0 };
            let noise = ((h as u64).wrapping_mul(2_654_435_761) >> 9) % 61;
            (300.0 + 900.0 * busy * weekend) * (0.97 + noise as f64 / 1_000.0)
        })
        .collect();
    let model = CapacityModel::Linear {
        target_utilization: 0.7,
        headroom: 0.2,
    };
    let o = ScheduleOptions {
        instance_type: "app.medium".into(),
        cpu_seconds_per_request: 0.004,
        min_instances: 2,
        ..ScheduleOptions::default()
    };
    let s = predictive_schedule(&history, &ts, &model, &catalog, &o)?;
    println!(
        "\n== Predictive scaling: the next 48 hours ({}, sized at the forecast's {:.0} % quantile, {} s pre-warm) ==",
        s.model,
        100.0 * s.quantile,
        o.prewarm_secs
    );
    for a in s.actions.iter().take(8) {
        println!("  {}  {:>2} -> {:>2} x app.medium", a.at, a.from, a.to);
    }
    if s.actions.len() > 8 {
        println!("  ... {} actions in all", s.actions.len());
    }
    if let Some(peak) = s.steps.iter().max_by(|a, b| a.needed.cmp(&b.needed)) {
        println!("  busiest hour {}: {}", peak.start, peak.reason);
    }
    println!(
        "  cost over 48 h: predictive {} | reactive HPA replay {} ({} hours short) | static peak {}",
        s.cost, s.reactive_cost, s.reactive_short_periods, s.static_peak_cost
    );
    let b = backtest_schedule(&history, &ts, &model, &catalog, &o, 7)?;
    println!(
        "  backtest, last 7 days ({} hours): predictive short {} h, cost {} | reactive short {} h, cost {} | static peak {}",
        b.periods,
        b.predictive_short_periods,
        b.predictive_cost,
        b.reactive_short_periods,
        b.reactive_cost,
        b.static_peak_cost
    );
    Ok(())
}

/// The SLO report of the rollout's own windows against the 30/60/90 plan's targets, day by day.
fn slo_step(windows: &[Window]) -> scaleplan::Result<()> {
    use scaleplan::slo::{SloObjectives, SloPeriod, Status, slo_report};
    let day = SloPeriod {
        length_secs: 86_400,
        start: None,
    };
    let r = slo_report(windows, &[], &SloObjectives::default(), &day)?;
    println!(
        "\nSLO report of checkout-v2's {} windows (availability {} %, p95 <= 300 ms in 99 % of windows, \
         error rate <= 0.5 %, half the budget left), per day:",
        windows.len(),
        r.objectives.availability_pct
    );
    for p in &r.periods {
        let page = p.burn_rates.iter().any(|b| b.firing);
        println!(
            "  {}  {:>6} req  availability {:.3} %  budget left {:>5.1} % ({:.2} of {:.2} min)  p95 ok {}/{}  burn 1h {:.2}{}  {}",
            p.start,
            p.requests,
            p.availability_pct,
            100.0 * p.budget.remaining,
            p.budget.remaining_minutes,
            p.budget.total_minutes,
            p.latency_windows_met,
            p.latency_windows,
            p.burn_rates[0].burn_long,
            if page { "  BURN ALERT" } else { "" },
            if p.met {
                "met".to_string()
            } else {
                p.objectives
                    .iter()
                    .filter(|c| c.status == Status::Missed)
                    .map(|c| format!("MISSED {}: {}", c.objective, c.evidence))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        );
    }
    Ok(())
}

/// A month of simulated daily costs after the rollout (weekday/weekend cycle, slow growth, one spike on
/// day 19), the anomaly detector's alert, the budget status and a 3-month projection.
fn operate_step() -> scaleplan::Result<()> {
    use scaleplan::anomaly::budget::{Budget, BudgetPeriod, CostEntry, Date, budget_status};
    use scaleplan::anomaly::{AutoParams, Direction, Method, detect};
    use scaleplan::forecast::{ForecastOptions, forecast};
    use scaleplan::money::{Currency, Money};

    println!("\n== Operating the scaled service: July 2026 daily costs ==");
    // 241 days of history (for the projection) ending with July; July holds a spike on the 19th.
    let start = Date::new(2025, 12, 3)?;
    let days = 241;
    let mut cost: Vec<f64> = (0..days)
        .map(|d| {
            let weekday = [1.0, 1.04, 1.05, 1.03, 1.02, 0.86, 0.82][d % 7];
            let noise =
                (((d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) % 145) as f64 - 72.0;
            ((1500.0 + 2.0 * d as f64) * weekday + noise).round()
        })
        .collect();
    let july = start.days_until(Date::new(2026, 7, 1)?) as usize;
    let spike_day = july + 18;
    cost[spike_day] += 1400.0; // a runaway batch job
    let method = Method::Auto(AutoParams {
        season_length: Some(7),
        direction: Direction::Up,
        ..AutoParams::default()
    });
    let d = detect(&cost[july - 56..july + 31], None, &method, 1)?;
    println!("detector: {}", d.method);
    for a in &d.alerts {
        let day = start.add_days((july - 56) as i64 + a.start_index as i64);
        println!(
            "  ALERT {:?} {:?} on {day}: {}",
            a.severity, a.kind, a.reason
        );
    }

    let usd = Currency::USD;
    let budget = Budget::new(
        "checkout platform",
        BudgetPeriod::Monthly,
        Money::parse("64000.00", usd)?,
    );
    let entries: Vec<CostEntry> = (july..july + 31)
        .map(|i| {
            let amount = Money::parse(&format!("{:.2}", cost[i]), usd)?;
            let service = if i % 3 == 0 { "search" } else { "checkout" };
            Ok(CostEntry::new(
                start.add_days(i as i64),
                amount,
                service,
                "payments",
            ))
        })
        .collect::<scaleplan::Result<_>>()?;
    let status = budget_status(&budget, &entries, Date::new(2026, 7, 31)?)?;
    println!(
        "budget {}: spent {} of {} ({:.1}%) in {} to {}",
        status.name,
        status.spent,
        status.budget,
        status.spent_percent,
        status.period_start,
        status.period_end
    );
    for a in &status.alerts {
        println!("  BUDGET ALERT {:?} on {}: {}", a.kind, a.date, a.message);
    }
    for s in &status.attribution.by_service {
        println!("  {:<9} {} ({:.1}%)", s.name, s.amount, s.percent);
    }

    // The spike is an anomaly, not demand: project from the history with the spike day replaced by the
    // same weekday one week earlier.
    let mut history = cost[..july + 31].to_vec();
    history[spike_day] = history[spike_day - 7];
    let f = forecast(
        &history,
        &ForecastOptions {
            horizon: 92,
            season_length: Some(7),
            ..Default::default()
        },
    )?;
    let sum = |v: &[f64], a: usize, b: usize| v[a..b].iter().sum::<f64>();
    println!("projection ({}; {}% interval per day):", f.model, f.level);
    for (name, a, b) in [
        ("August", 0, 31),
        ("September", 31, 61),
        ("October", 61, 92),
    ] {
        println!(
            "  {name:<9} {:>9.0} USD (per-day 95% bounds summed: {:.0} to {:.0})",
            sum(&f.mean, a, b),
            sum(&f.lower, a, b),
            sum(&f.upper, a, b)
        );
    }
    if d.alerts.len() != 1 || status.alerts.is_empty() {
        return Err(scaleplan::Error::InvalidState {
            what: "scale_up example",
            reason: format!(
                "expected one spike alert and a budget alert, got {} and {}",
                d.alerts.len(),
                status.alerts.len()
            ),
        });
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}
