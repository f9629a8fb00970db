// The hand-written result interfaces in index.d.ts (from types-header.d.ts) must name exactly the keys
// the functions return: parse each interface and compare with a real result.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT, sp } from './helpers.mjs'

const dts = readFileSync(join(ROOT, 'bindings-node', 'index.d.ts'), 'utf8')

/** Field names of `export interface name { ... }` (comments stripped; one-line and multi-line forms). */
function fields(name) {
  const m = dts.match(new RegExp(`export interface ${name} \\{([^}]*)\\}`))
  assert.ok(m, `interface ${name} is declared`)
  const body = m[1].replace(/\/\*\*[\s\S]*?\*\//g, '')
  return [...body.matchAll(/(\w+)\??:/g)].map((x) => x[1]).sort()
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
