//! Adaptive Gauss–Kronrod (7/15) quadrature, as QUADPACK's QAG (which `scipy.integrate.quad` wraps).

use crate::error::{Error, Result};

const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_728,
];
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

fn kronrod(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let c = 0.5 * (a + b);
    let h = 0.5 * (b - a);
    let fc = f(c);
    let mut k = fc * WGK[7];
    let mut g = fc * WG[3];
    for j in 0..7 {
        let x = h * XGK[j];
        let s = f(c - x) + f(c + x);
        k += WGK[j] * s;
        if j % 2 == 1 {
            g += WG[j / 2] * s;
        }
    }
    (k * h, ((k - g) * h).abs())
}

/// `∫_a^b f`, split first into `panels` equal parts, then bisecting the worst part until the error
/// estimate is below `max(abs_tol, rel_tol * |result|)`.
pub(crate) fn integrate(
    f: impl Fn(f64) -> f64,
    a: f64,
    b: f64,
    panels: usize,
    abs_tol: f64,
    rel_tol: f64,
) -> Result<f64> {
    let mut parts: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(4 * panels.max(1));
    let step = (b - a) / panels.max(1) as f64;
    for i in 0..panels.max(1) {
        let lo = a + step * i as f64;
        let hi = if i + 1 == panels.max(1) { b } else { lo + step };
        let (v, e) = kronrod(&f, lo, hi);
        parts.push((lo, hi, v, e));
    }
    for _ in 0..4000 {
        let total: f64 = parts.iter().map(|p| p.2).sum();
        let err: f64 = parts.iter().map(|p| p.3).sum();
        if !total.is_finite() {
            break;
        }
        if err <= abs_tol.max(rel_tol * total.abs()) {
            return Ok(total);
        }
        let (i, _) = parts
            .iter()
            .enumerate()
            .fold(
                (0, f64::MIN),
                |best, (i, p)| if p.3 > best.1 { (i, p.3) } else { best },
            );
        let (lo, hi, _, _) = parts.swap_remove(i);
        let mid = 0.5 * (lo + hi);
        let (v1, e1) = kronrod(&f, lo, mid);
        let (v2, e2) = kronrod(&f, mid, hi);
        parts.push((lo, mid, v1, e1));
        parts.push((mid, hi, v2, e2));
    }
    Err(Error::NoConvergence {
        what: "numerical integration".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_polynomial_and_singularity() {
        let v = integrate(|x| x * x, 0.0, 3.0, 1, 1e-14, 1e-14).unwrap();
        assert!((v - 9.0).abs() < 1e-12);
        // ∫_0^1 x^-1/2 = 2
        let v = integrate(|x| 1.0 / x.sqrt(), 0.0, 1.0, 1, 1e-10, 1e-10).unwrap();
        assert!((v - 2.0).abs() < 1e-8);
    }
}
