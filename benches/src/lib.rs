//! Shared inputs for the scaleplan benches: deterministic segment data (no RNG crate needed).

/// `n` segments of (control visitors, control conversions, treatment visitors, treatment conversions).
pub fn segments(n: usize) -> [Vec<f64>; 4] {
    let mut cols = [
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    ];
    for i in 0..n {
        let v = 1000.0 + (i % 977) as f64 * 13.0;
        let rate = 0.02 + (i % 89) as f64 * 0.001;
        cols[0].push(v);
        cols[1].push((v * rate).floor());
        cols[2].push(v + (i % 31) as f64);
        cols[3].push(((v + (i % 31) as f64) * rate * (1.0 + (i % 7) as f64 * 0.01)).floor());
    }
    cols
}

/// A price catalog of `n` items as JSON (a quarter each instance types, database tiers, cache tiers and
/// storage classes), with the names the estimate bench asks for.
pub fn big_catalog_json(n: usize) -> String {
    let q = n / 4;
    let mut s = String::from(
        r#"{"name": "bench", "currency": "USD", "team_rates": [{"role": "engineer", "hourly": "100.00"}], "instances": ["#,
    );
    let list = |s: &mut String, f: &dyn Fn(usize) -> String| {
        for i in 0..q {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&f(i));
        }
    };
    list(&mut s, &|i| {
        format!(
            r#"{{"name": "app.{i}", "vcpu": {}, "memory_gib": {}, "hourly": "0.{:03}"}}"#,
            1 << (i % 6),
            4 << (i % 6),
            10 + i % 900
        )
    });
    s.push_str(r#"], "databases": ["#);
    list(&mut s, &|i| {
        format!(
            r#"{{"name": "db.{i}", "vcpu": 4, "memory_gib": 16, "max_connections": {}, "monthly": "{}.00"}}"#,
            100 + 20 * i,
            50 + 7 * i
        )
    });
    s.push_str(r#"], "caches": ["#);
    list(&mut s, &|i| {
        format!(
            r#"{{"name": "cache.{i}", "memory_gib": {}, "monthly": "{}.50"}}"#,
            1 + i,
            20 + 3 * i
        )
    });
    s.push_str(r#"], "storage": ["#);
    list(&mut s, &|i| {
        format!(
            r#"{{"name": "ssd.{i}", "per_gb_month": "0.{:02}"}}"#,
            5 + i % 90
        )
    });
    s.push_str("]}");
    s
}
