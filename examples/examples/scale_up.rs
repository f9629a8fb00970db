//! The main job: read a committed sample experiment and policy, print the analysis as a table and the
//! readiness verdict with its reasons.
//!
//! Run: `cargo run -p scaleplan-examples --example scale_up [experiment.json policy.json]`

use std::process::ExitCode;

use scaleplan::significance::{Readiness, assess_readiness};

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
