//! Nelder-Mead simplex minimisation (Nelder and Mead 1965, with the standard coefficients 1, 2, ½, ½), as
//! R's `optim` uses for `ets`.

/// Minimises `f` from `x0` with initial steps `steps`; stops after `max_evals` evaluations or when the
/// simplex's values agree within `tol` (absolute, in the units of `f`). `None` when no finite value was
/// ever found.
pub(crate) fn minimize(
    mut f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    steps: &[f64],
    max_evals: usize,
    tol: f64,
) -> Option<Vec<f64>> {
    let d = x0.len();
    let mut pts: Vec<Vec<f64>> = Vec::with_capacity(d + 1);
    pts.push(x0.to_vec());
    for i in 0..d {
        let mut p = x0.to_vec();
        p[i] += steps[i];
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| f(p)).collect();
    let mut evals = d + 1;
    let mut centroid = vec![0.0; d];
    let mut trial = vec![0.0; d];
    let mut trial2 = vec![0.0; d];
    while evals < max_evals {
        // Order: best first.
        let mut idx: Vec<usize> = (0..=d).collect();
        idx.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        pts = idx.iter().map(|&i| pts[i].clone()).collect();
        vals = idx.iter().map(|&i| vals[i]).collect();
        let (best, worst) = (vals[0], vals[d]);
        if best.is_finite() && worst - best <= tol {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for p in &pts[..d] {
            for (c, v) in centroid.iter_mut().zip(p) {
                *c += v / d as f64;
            }
        }
        let point = |out: &mut Vec<f64>, coef: f64, pts: &[Vec<f64>], centroid: &[f64]| {
            for i in 0..d {
                out[i] = centroid[i] + coef * (pts[d][i] - centroid[i]);
            }
        };
        point(&mut trial, -1.0, &pts, &centroid);
        let fr = f(&trial);
        evals += 1;
        if fr < vals[0] {
            point(&mut trial2, -2.0, &pts, &centroid);
            let fe = f(&trial2);
            evals += 1;
            if fe < fr {
                pts[d].copy_from_slice(&trial2);
                vals[d] = fe;
            } else {
                pts[d].copy_from_slice(&trial);
                vals[d] = fr;
            }
        } else if fr < vals[d - 1] {
            pts[d].copy_from_slice(&trial);
            vals[d] = fr;
        } else {
            let outside = fr < vals[d];
            point(
                &mut trial2,
                if outside { -0.5 } else { 0.5 },
                &pts,
                &centroid,
            );
            let fc = f(&trial2);
            evals += 1;
            if fc < fr.min(vals[d]) {
                pts[d].copy_from_slice(&trial2);
                vals[d] = fc;
            } else {
                // Shrink towards the best.
                let best = pts[0].clone();
                for k in 1..=d {
                    for (p, b) in pts[k].iter_mut().zip(&best) {
                        *p = b + 0.5 * (*p - b);
                    }
                    vals[k] = f(&pts[k]);
                }
                evals += d;
            }
        }
    }
    let (i, v) = vals.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
    v.is_finite().then(|| pts[i].clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_rosenbrock_minimum() {
        let f = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let x = super::minimize(f, &[-1.2, 1.0], &[0.1, 0.1], 5000, 1e-14).unwrap();
        assert!(
            (x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3,
            "{x:?}"
        );
    }
}
