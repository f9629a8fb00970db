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
