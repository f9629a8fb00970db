//! The main job: read a committed sample experiment and policy, print the analysis as a table and the
//! readiness verdict with its reasons; then, for a winner, the scale-up estimate (items, one-time,
//! monthly, first-month and first-year totals with a low / expected / high range, and the assumptions)
//! and the annual impact of the lift.
//!
//! Run: `cargo run -p scaleplan-examples --example scale_up [experiment.json policy.json]`

use std::process::ExitCode;

use scaleplan::estimate::{
    EstimateRequest, ImpactInput, LiftRange, PriceCatalog, ResourceEstimate, estimate, impact,
};
use scaleplan::significance::{MetricRole, Readiness, assess_readiness};

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
    } else {
        println!("\nNot ready to scale: no estimate.");
    }
    Ok(r.ready)
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
