//! A small seeded generator (SplitMix64, Steele, Lea and Flood 2014) and the
//! ziggurat normals (Marsaglia and Tsang 2000) that the simulated prediction intervals draw: the intervals
//! are reproducible and the core keeps no global state.

pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

/// Standard normals by Marsaglia's polar method (no trigonometry, one logarithm per pair): what the
/// simulated intervals drew before the ziggurat, kept for the tests' seeded data.
#[cfg(test)]
pub(crate) struct Polar {
    rng: Rng,
    spare: Option<f64>,
}

#[cfg(test)]
impl Polar {
    pub(crate) fn new(seed: u64) -> Self {
        Polar {
            rng: Rng::new(seed),
            spare: None,
        }
    }

    /// A standard normal draw.
    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.rng.uniform() - 1.0;
            let v = 2.0 * self.rng.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let f = (-2.0 * s.ln() / s).sqrt();
                self.spare = Some(v * f);
                return u * f;
            }
        }
    }
}

/// Layers of the ziggurat.
const LAYERS: usize = 128;
/// The base strip's right edge `r` and the area of each layer `v` for 128 layers (Marsaglia and Tsang
/// 2000, "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8), `zigset`).
const R: f64 = 3.442_619_855_899;
const V: f64 = 9.912_563_035_262_17e-3;
/// `2^31`: the scale of the 32-bit signed draw the layers' tests are made on.
const M1: f64 = 2_147_483_648.0;

/// Standard normal draws by the ziggurat method (Marsaglia and Tsang 2000): one 64-bit draw, a table
/// look-up and a comparison for 98.8 % of draws, against a logarithm and a square root per pair for the
/// polar method. The layer index and the signed 32-bit abscissa come from disjoint bits of the draw
/// (the low 7 and the high 32), which avoids the correlation that Leong et al. (2005) found in the
/// original's shared bits.
pub(crate) struct Ziggurat {
    rng: Rng,
    kn: [u32; LAYERS],
    wn: [f64; LAYERS],
    fns: [f64; LAYERS],
}

impl Ziggurat {
    /// The tables (`zigset`), over a generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        let mut kn = [0u32; LAYERS];
        let mut wn = [0.0; LAYERS];
        let mut fns = [0.0; LAYERS];
        let (mut dn, mut tn) = (R, R);
        let q = V / (-0.5 * dn * dn).exp();
        kn[0] = ((dn / q) * M1) as u32;
        kn[1] = 0;
        wn[0] = q / M1;
        wn[LAYERS - 1] = dn / M1;
        fns[0] = 1.0;
        fns[LAYERS - 1] = (-0.5 * dn * dn).exp();
        for i in (1..LAYERS - 1).rev() {
            dn = (-2.0 * (V / dn + (-0.5 * dn * dn).exp()).ln()).sqrt();
            kn[i + 1] = ((dn / tn) * M1) as u32;
            tn = dn;
            fns[i] = (-0.5 * dn * dn).exp();
            wn[i] = dn / M1;
        }
        Ziggurat {
            rng: Rng::new(seed),
            kn,
            wn,
            fns,
        }
    }

    /// A standard normal draw.
    #[inline]
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = self.rng.next_u64();
            let iz = (u & (LAYERS as u64 - 1)) as usize;
            let hz = (u >> 32) as u32 as i32;
            if hz.unsigned_abs() < self.kn[iz] {
                return f64::from(hz) * self.wn[iz];
            }
            if let Some(x) = self.edge(hz, iz) {
                return x;
            }
        }
    }

    /// The slow path (`nfix`): the tail beyond `R` for the base layer, else the wedge test; `None` to
    /// draw again.
    #[cold]
    fn edge(&mut self, hz: i32, iz: usize) -> Option<f64> {
        let x = f64::from(hz) * self.wn[iz];
        if iz == 0 {
            // Marsaglia's tail method (1964).
            loop {
                let x = -self.rng.uniform().ln() / R;
                let y = -self.rng.uniform().ln();
                if y + y >= x * x {
                    return Some(if hz > 0 { R + x } else { -R - x });
                }
            }
        }
        let f = self.fns[iz] + self.rng.uniform() * (self.fns[iz - 1] - self.fns[iz]);
        (f < (-0.5 * x * x).exp()).then_some(x)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn normals_have_unit_moments() {
        let mut rng = super::Polar::new(7);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let tail = xs.iter().filter(|x| x.abs() > 1.959_964).count() as f64 / n as f64;
        // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance,
        // sqrt(0.05 * 0.95 / n) = 0.00049 for the 5 % two-sided tail; 5 standard errors allowed.
        assert!(mean.abs() < 0.011, "{mean}");
        assert!((var - 1.0).abs() < 0.016, "{var}");
        assert!((tail - 0.05).abs() < 0.0025, "{tail}");
    }

    /// The ziggurat's draws against the normal distribution: moments, tails to 4 σ, and the
    /// Kolmogorov-Smirnov distance on 200,000 draws (its 0.1 % critical value is 1.95 / sqrt(n) = 0.0044).
    #[test]
    fn ziggurat_normals_are_normal() {
        let mut z = super::Ziggurat::new(7);
        let n = 200_000;
        let mut xs: Vec<f64> = (0..n).map(|_| z.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        assert!(mean.abs() < 0.011, "{mean}");
        assert!((var - 1.0).abs() < 0.016, "{var}");
        for (cut, p) in [(1.959_964, 0.05), (3.0, 0.002_699_8), (4.0, 6.334e-5)] {
            let tail = xs.iter().filter(|x| x.abs() > cut).count() as f64 / n as f64;
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!((tail - p).abs() < 5.0 * se, "cut {cut}: {tail} against {p}");
        }
        // beyond the base strip's edge R = 3.44: the tail method's draws, on both sides
        assert!(xs.iter().any(|&x| x > 3.5) && xs.iter().any(|&x| x < -3.5));
        xs.sort_by(f64::total_cmp);
        let ks = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let c = crate::dist::norm_cdf(x);
                (c - i as f64 / n as f64)
                    .abs()
                    .max(((i + 1) as f64 / n as f64 - c).abs())
            })
            .fold(0.0, f64::max);
        assert!(ks < 0.0044, "KS distance {ks}");
    }
}
