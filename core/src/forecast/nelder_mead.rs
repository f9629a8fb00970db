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
    // The simplex as (value, point), best first after each sort; sorting moves the points, never copies
    // them, so an iteration allocates nothing.
    let mut simplex: Vec<(f64, Vec<f64>)> = Vec::with_capacity(d + 1);
    simplex.push((f(x0), x0.to_vec()));
    for i in 0..d {
        let mut p = x0.to_vec();
        p[i] += steps[i];
        simplex.push((f(&p), p));
    }
    let mut evals = d + 1;
    let mut centroid = vec![0.0; d];
    let mut trial = vec![0.0; d];
    let mut trial2 = vec![0.0; d];
    let mut best_point = vec![0.0; d];
    while evals < max_evals {
        // Order: best first (stable, so that ties keep their order).
        simplex.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (best, worst) = (simplex[0].0, simplex[d].0);
        if best.is_finite() && worst - best <= tol {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for (_, p) in &simplex[..d] {
            for (c, v) in centroid.iter_mut().zip(p) {
                *c += v / d as f64;
            }
        }
        let point = |out: &mut Vec<f64>, coef: f64, worst: &[f64], centroid: &[f64]| {
            for i in 0..d {
                out[i] = centroid[i] + coef * (worst[i] - centroid[i]);
            }
        };
        point(&mut trial, -1.0, &simplex[d].1, &centroid);
        let fr = f(&trial);
        evals += 1;
        if fr < simplex[0].0 {
            point(&mut trial2, -2.0, &simplex[d].1, &centroid);
            let fe = f(&trial2);
            evals += 1;
            if fe < fr {
                simplex[d].1.copy_from_slice(&trial2);
                simplex[d].0 = fe;
            } else {
                simplex[d].1.copy_from_slice(&trial);
                simplex[d].0 = fr;
            }
        } else if fr < simplex[d - 1].0 {
            simplex[d].1.copy_from_slice(&trial);
            simplex[d].0 = fr;
        } else {
            let outside = fr < simplex[d].0;
            point(
                &mut trial2,
                if outside { -0.5 } else { 0.5 },
                &simplex[d].1,
                &centroid,
            );
            let fc = f(&trial2);
            evals += 1;
            if fc < fr.min(simplex[d].0) {
                simplex[d].1.copy_from_slice(&trial2);
                simplex[d].0 = fc;
            } else {
                // Shrink towards the best.
                best_point.copy_from_slice(&simplex[0].1);
                for (v, p) in simplex[1..].iter_mut() {
                    for (x, b) in p.iter_mut().zip(&best_point) {
                        *x = b + 0.5 * (*x - b);
                    }
                    *v = f(p);
                }
                evals += d;
            }
        }
    }
    let (v, p) = simplex.iter().min_by(|a, b| a.0.total_cmp(&b.0))?;
    v.is_finite().then(|| p.clone())
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
