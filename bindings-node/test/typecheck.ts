// Compiled (never run) by `npx tsc -p test/tsconfig.json` in CI: the declarations must let a strict
// TypeScript user read results without casts, and must reject misspelt fields.
import {
  assessReadiness,
  twoProportions,
  welch,
  type MetricVerdict,
  type ProportionsResult,
  type Readiness,
  type WelchResult,
} from '../index.js'

const r: ProportionsResult = twoProportions({ visitors: 1000, conversions: 100 }, { visitors: 1000, conversions: 120 }, { alpha: 0.05 })
const width: number = r.absoluteCi.hi - r.absoluteCi.lo
const lift: number = r.relativeLift ?? Number.NaN
const w: WelchResult = welch({ n: 50, mean: 10, variance: 4 }, { n: 60, mean: 11, variance: 9 })
const df: number = w.df
const ready: Readiness = assessReadiness('{}', '{}')
const failed: string[] = ready.reasons.filter((x) => !x.passed).map((x) => `${x.rule}: ${x.message}`)
const wins: MetricVerdict[] = ready.verdicts.filter((v) => v.verdict === 'win')
// @ts-expect-error: a misspelt field does not compile
const typo = r.pvalue
export { width, lift, df, failed, wins, typo }
