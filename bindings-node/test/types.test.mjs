// The hand-written result interfaces in index.d.ts (from types-header.d.ts) must name exactly the keys
// the functions return: parse each interface and compare with a real result.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT, sp } from './helpers.mjs'

const dts = readFileSync(join(ROOT, 'bindings-node', 'index.d.ts'), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '')

/** Top-level field names of `export interface name { ... }` (comments stripped; nested object types skipped). */
function fields(name) {
  const start = dts.indexOf(`export interface ${name} {`)
  assert.ok(start >= 0, `interface ${name} is declared`)
  let i = dts.indexOf('{', start) + 1
  let depth = 1
  let body = ''
  for (; depth > 0; i++) {
    const ch = dts[i]
    if (ch === '{' || ch === '[' || ch === '(' || ch === '<') depth++
    else if (ch === '}' || ch === ']' || ch === ')' || ch === '>') depth--
    if (depth === 1 || (depth === 0 && ch === '}')) body += depth === 1 ? ch : ''
    else body += ' '
  }
  body = body.replace(/\/\*\*[\s\S]*?\*\//g, '')
  return [...body.matchAll(/(?:^|[\s;{])(\w+)\??:/g)].map((x) => x[1]).sort()
}
const keys = (o) => Object.keys(o).sort()

const arms = [{ visitors: 1000, conversions: 100 }, { visitors: 1000, conversions: 120 }]
const means = [{ n: 50, mean: 10, variance: 4 }, { n: 60, mean: 11, variance: 9 }]
const ratioArm = (xy) => ({ n: 3, sum_x: 15, sum_y: 6, sum_x2: 125, sum_y2: 14, sum_xy: xy })
const cupedArm = (mean) => ({ n: 100, mean, variance: 4, covariate_mean: 9, covariate_variance: 4, covariance: 2 })
const readiness = sp.assessReadiness(
  readFileSync(join(ROOT, 'examples', 'data', 'experiment.json'), 'utf8'),
  readFileSync(join(ROOT, 'examples', 'data', 'policy.json'), 'utf8'),
)

const est = sp.estimate({ targetUsers: 50000, instanceType: 'app.large',
  demand: { users: 1000, peakRpsPerUser: 0.05, cpuSecondsPerRequest: 0.02 } },
  sp.loadCatalog(readFileSync(join(ROOT, 'examples', 'data', 'catalog.toml'), 'utf8')))
const impactResult = sp.impact({ users: 100, baselineRate: 0.1, lift: { low: 0, expected: 0.1, high: 0.2 }, valuePerConversion: '1', currency: 'USD' })
const cpu = Array.from({ length: 61 }, (_, m) => ({ time: 60 * m, value: 90 }))
const triggers = sp.scalingTriggers({ now: 3600, cpuPercent: cpu, instances: 10, instanceMonthlyPrice: '1.00' })
const scaled = sp.hpaScale({ maxReplicas: 10 }, 0, 2, 5)
const phase = sp.growthPhase(1100, 'startup')
const bt = sp.backtest(new Float64Array(40).map((_, t) => 100 + t + (t % 4) * 5), 4, 4, 95, { model: 'seasonal_naive', windows: 2 })

const cases = {
  ProportionsResult: sp.twoProportions(...arms),
  WelchResult: sp.welch(...means),
  RatioResult: sp.ratio(ratioArm(35), ratioArm(36)),
  CupedResult: sp.cuped(cupedArm(10), cupedArm(11)),
  SrmResult: sp.srm([100, 110], [0.5, 0.5]),
  SequentialResult: sp.sequential(0.1, 0.05, 1000),
  BetaBinomialResult: sp.betaBinomial(...arms),
  Readiness: readiness,
  ReadinessReason: readiness.reasons[0],
  MetricVerdict: readiness.verdicts[0],
  Interval: sp.twoProportions(...arms).absoluteCi,
  CostTotals: est.totals,
  LineTotal: est.totals.lineTotals[0],
  ResourceEstimate: est,
  Configuration: est.configuration,
  ScenarioCost: est.range.low,
  PriceCatalog: sp.loadCatalog(readFileSync(join(ROOT, 'examples', 'data', 'catalog.toml'), 'utf8')),
  Impact: impactResult,
  ImpactScenario: impactResult.expected,
  PhaseRecommendation: phase,
  PhaseTransition: phase.transition,
  TriggerReport: triggers,
  TriggerRecommendation: triggers.recommendations[0],
  Evidence: triggers.recommendations[0].evidence,
  HpaRecommendation: sp.hpaDesiredReplicas(2, [{ state: 'ready', requestMilli: 1000, usageMilli: 900 }], 50),
  HpaScaleResult: scaled,
  BehaviorDecision: scaled.decision,
  HpaState: scaled.state,
  MilestonePlan: sp.capacityMilestones({ targetUsers: 1, instanceType: 'app.small',
    demand: { users: 1, peakRpsPerUser: 1, cpuSecondsPerRequest: 0.1 } },
    sp.loadCatalog(readFileSync(join(ROOT, 'examples', 'data', 'catalog.toml'), 'utf8')), [{ label: 'a', users: 10 }])[0],
  Backtest: bt,
  BacktestWindow: bt.windows[0],
  Accuracy: bt.accuracy,
  ProportionsBatch: sp.twoProportionsBatch(
    new Float64Array([1000]), new Float64Array([100]), new Float64Array([1000]), new Float64Array([120])),
}

for (const [name, value] of Object.entries(cases)) {
  test(`index.d.ts interface ${name} names exactly the returned keys`, () => {
    assert.deepEqual(keys(value), fields(name))
  })
}

test('input interfaces RatioArm and CupedArm name the keys the core accepts', () => {
  assert.deepEqual(keys(ratioArm(1)), fields('RatioArm'))
  assert.deepEqual(keys(cupedArm(1)), fields('CupedArm'))
})
