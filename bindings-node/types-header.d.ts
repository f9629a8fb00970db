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

