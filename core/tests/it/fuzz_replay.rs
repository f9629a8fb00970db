//! Replays every committed fuzz input (`fuzz/regressions/<target>/*`: seeds and any crash ever found)
//! through the same checks the fuzz targets run, so a fixed crash stays fixed under plain `cargo test`.

#[path = "../../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "fuzz input {} fails its check",
            path.display()
        );
        n += 1;
    }
    assert!(
        n >= 10,
        "expected the committed inputs for {target}, found {n}"
    );
}

#[test]
fn json_experiment_regressions() {
    replay("json_experiment", checks::json_experiment);
}

#[test]
fn catalog_estimate_regressions() {
    replay("catalog_estimate", checks::catalog_estimate);
}

#[test]
fn replay_json_regressions() {
    replay("replay_json", checks::replay_json);
}

#[test]
fn stored_state_regressions() {
    replay("stored_state", checks::stored_state);
}
