/* Result types of scaleplan (hand-written; prepended to the generated index.d.ts by napi's
   `dtsHeaderFile`). They mirror the core's canonical JSON with camelCase keys; test/types.test.mjs
   checks every interface's keys against real results. */

/** A confidence interval `[lo, hi]`. */
export interface Interval { lo: number; hi: number }

/** `"two-sided"`, `"less"` or `"greater"` (scipy's names). */
export type Alternative = 'two-sided' | 'less' | 'greater'

/** Result of `twoProportions`. */
export interface ProportionsResult {
  controlRate: number
  treatmentRate: number
  /** z statistic with the pooled standard error. */
  z: number
  pValue: number
  /** `treatmentRate - controlRate`. */
  absoluteEffect: number
  /** Wald interval (unpooled standard error). */
  absoluteCi: Interval
  /** `treatmentRate / controlRate - 1`; null when the control rate is 0. */
  relativeLift: number | null
  /** Delta-method interval; null when the control rate is 0. */
  relativeCi: Interval | null
  alpha: number
  alternative: Alternative
}

/** Result of `welch` (and the two halves of a CUPED result). */
export interface WelchResult {
  controlMean: number
  treatmentMean: number
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  pValue: number
  absoluteEffect: number
  absoluteCi: Interval
  relativeLift: number | null
  relativeCi: Interval | null
  alpha: number
  alternative: Alternative
}

/** Per-arm sums for a ratio metric, snake_case as in the canonical JSON. */
export interface RatioArm { n: number; sum_x: number; sum_y: number; sum_x2: number; sum_y2: number; sum_xy: number }

/** Result of `ratio`. */
export interface RatioResult {
  controlRatio: number
  treatmentRatio: number
  z: number
  pValue: number
  absoluteEffect: number
  absoluteCi: Interval
  relativeLift: number | null
  relativeCi: Interval | null
  alpha: number
  alternative: Alternative
}

/** One CUPED arm, snake_case as in the canonical JSON. */
export interface CupedArm {
  n: number
  mean: number
  variance: number
  covariate_mean: number
  covariate_variance: number
  covariance: number
}

/** Result of `cuped`. */
export interface CupedResult {
  /** The pooled regression coefficient of the metric on the covariate. */
  theta: number
  /** Share of the variance removed, in [0, 1]. */
  varianceReduction: number
  adjusted: WelchResult
  unadjusted: WelchResult
}

/** Result of `srm`. */
export interface SrmResult {
  chi2: number
  df: number
  pValue: number
  /** Expected counts under the configured split. */
  expected: number[]
  threshold: number
  mismatch: boolean
}

/** Result of `sequential`. */
export interface SequentialResult {
  estimate: number
  stdError: number
  /** Always-valid p-value. */
  pValue: number
  confidenceSequence: Interval
  logLikelihoodRatio: number
  mixingVariance: number
  significant: boolean
}

/** Prior of `betaBinomial`. */
export interface BetaPrior { alpha: number; beta: number }

/** Result of `betaBinomial`. */
export interface BetaBinomialResult {
  chanceToBeatControl: number
  expectedLossControl: number
  expectedLossTreatment: number
  differenceMean: number
  differenceSd: number
}

/** One rule of a readiness decision, with its evidence. */
export interface ReadinessReason {
  rule: 'sample_ratio' | 'min_sample' | 'min_runtime' | 'primary_metric' | 'guardrail'
  passed: boolean
  metric: string | null
  observed: number
  threshold: number
  message: string
}

/** One metric's verdict in a readiness decision. */
export interface MetricVerdict {
  metric: string
  role: 'primary' | 'secondary' | 'guardrail'
  direction: 'increase' | 'decrease'
  controlValue: number
  treatmentValue: number
  absoluteEffect: number
  absoluteCi: Interval
  relativeLift: number | null
  relativeCi: Interval | null
  pValue: number
  adjustedPValue: number | null
  verdict: 'win' | 'loss' | 'inconclusive' | 'pass' | 'regressed' | 'unproven'
}

/** Result of `assessReadiness`: the "ready to scale" flag and why. */
export interface Readiness {
  experiment: string
  ready: boolean
  reasons: ReadinessReason[]
  verdicts: MetricVerdict[]
  srm: SrmResult | null
}


/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/** Readiness of an experiment under a policy (JSON strings or objects in the canonical snake_case shape). */
export declare function assessReadiness(experiment: string | object, policy: string | object): Readiness

/** Readiness as canonical JSON text (the same bytes as Rust and Python). */
export declare function assessReadinessJson(experiment: string, policy: string): string

/** Benjamini–Hochberg adjusted p-values. */
export declare function benjaminiHochberg(pValues: Float64Array): Float64Array

/** Beta-binomial chance to beat control and expected losses (prior `{ alpha, beta }`, default 1, 1). */
export declare function betaBinomial(control: ProportionArm, treatment: ProportionArm, prior?: Partial<BetaPrior> | undefined | null): BetaBinomialResult

/** Canonical JSON text of an `experiment`, `policy` or `readiness` document. */
export declare function canonicalJson(kind: string, documentJson: string): string

/** CUPED; arms `{ n, mean, variance, covariate_mean, covariate_variance, covariance }`. */
export declare function cuped(control: CupedArm, treatment: CupedArm, options?: TestOptions | undefined | null): CupedResult

/** Holm adjusted p-values. */
export declare function holm(pValues: Float64Array): Float64Array

/** The minimum detectable effect for `nPerArm` visitors per arm. */
export declare function mdeProportions(baselineRate: number, nPerArm: number, options?: PowerOptions | undefined | null): number

/** Mean arm: `{ n, mean, variance }` with the sample variance (ddof = 1). */
export interface MeanArm {
  /** Sample size. */
  n: number
  /** Sample mean. */
  mean: number
  /** Sample variance. */
  variance: number
}

/** Options of the power functions. */
export interface PowerOptions {
  /** Significance level. */
  alpha?: number
  /** Power (1 - beta). */
  power?: number
  /** Whether the MDE is relative to the baseline. */
  relative?: boolean
  /** `"two-sided"`, `"less"` or `"greater"`. */
  alternative?: string
}

/** Conversions arm: `{ visitors, conversions }`. */
export interface ProportionArm {
  /** Visitors (trials). */
  visitors: number
  /** Conversions (successes). */
  conversions: number
}

/** Column-wise batch results. */
export interface ProportionsBatch {
  /** z statistics. */
  z: Float64Array
  /** p-values. */
  pValue: Float64Array
  /** Differences. */
  absoluteEffect: Float64Array
  /** Lower ends of the absolute intervals. */
  absoluteCiLo: Float64Array
  /** Upper ends of the absolute intervals. */
  absoluteCiHi: Float64Array
  /** Relative lifts (NaN where the control rate is 0). */
  relativeLift: Float64Array
  /** Lower ends of the relative intervals. */
  relativeCiLo: Float64Array
  /** Upper ends of the relative intervals. */
  relativeCiHi: Float64Array
}

/** Ratio metric by the delta method; arms `{ n, sum_x, sum_y, sum_x2, sum_y2, sum_xy }`. */
export declare function ratio(control: RatioArm, treatment: RatioArm, options?: TestOptions | undefined | null): RatioResult

/** Visitors per arm (exact, fractional) to detect `mde` from `baselineRate`. */
export declare function sampleSizeProportions(baselineRate: number, mde: number, options?: PowerOptions | undefined | null): number

/** Always-valid p-value and confidence sequence (mSPRT). */
export declare function sequential(estimate: number, stdError: number, sampleSize: number, options?: SequentialOptions | undefined | null): SequentialResult

/** Batch always-valid p-values. */
export declare function sequentialBatch(estimate: Float64Array, stdError: Float64Array, sampleSize: Float64Array, options?: SequentialOptions | undefined | null): Float64Array

/** Options of the sequential test. */
export interface SequentialOptions {
  /** Significance level. */
  alpha?: number
  /** Total sample size at which the confidence sequence is tightest. */
  tuningSampleSize?: number
  /** The previous look's always-valid p-value (keeps the running minimum). */
  previousPValue?: number
}

/** Sample-ratio mismatch test. */
export declare function srm(observedCounts: Array<number>, expectedWeights: Array<number>, threshold?: number | undefined | null): SrmResult

/** Options of the frequentist tests; omitted fields take the core's defaults (alpha 0.05, two-sided). */
export interface TestOptions {
  /** Significance level in (0, 1). */
  alpha?: number
  /** `"two-sided"`, `"less"` or `"greater"`. */
  alternative?: string
}

/** Two-proportion z test (pooled SE; Wald and delta-method intervals). */
export declare function twoProportions(control: ProportionArm, treatment: ProportionArm, options?: TestOptions | undefined | null): ProportionsResult

/** Batch two-proportion tests over equal-length Float64Arrays. */
export declare function twoProportionsBatch(controlVisitors: Float64Array, controlConversions: Float64Array, treatmentVisitors: Float64Array, treatmentConversions: Float64Array, options?: TestOptions | undefined | null): ProportionsBatch

/** Welch's t test from summary statistics. */
export declare function welch(control: MeanArm, treatment: MeanArm, options?: TestOptions | undefined | null): WelchResult
