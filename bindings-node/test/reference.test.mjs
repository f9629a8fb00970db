import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sp, fixture, close } from './helpers.mjs'

const checkCi = (a, e, tol) => {
  if (e === null) return assert.ok(a === null || a === undefined)
  assert.ok(close(a.lo, e.lo, tol) && close(a.hi, e.hi, tol), JSON.stringify([a, e]))
}

test('two proportions match statsmodels', () => {
  const fx = fixture('significance/proportions.json')
  for (const c of fx.cases) {
    const r = sp.twoProportions(c.control, c.treatment, { alpha: c.alpha, alternative: c.alternative })
    const e = c.expected
    for (const [k, ek] of [['z', 'z'], ['pValue', 'p_value'], ['absoluteEffect', 'absolute_effect'], ['relativeLift', 'relative_lift']]) {
      assert.ok(close(r[k], e[ek], fx.tolerance), `${c.name} ${k}: ${r[k]} vs ${e[ek]}`)
    }
    checkCi(r.absoluteCi, e.absolute_ci, fx.tolerance)
    checkCi(r.relativeCi, e.relative_ci, fx.tolerance)
  }
})

test('welch matches scipy', () => {
  const fx = fixture('significance/welch.json')
  for (const c of fx.cases) {
    const r = sp.welch(c.control, c.treatment, { alpha: c.alpha, alternative: c.alternative })
    for (const [k, ek] of [['t', 't'], ['df', 'df'], ['pValue', 'p_value']]) assert.ok(close(r[k], c.expected[ek], fx.tolerance), `${c.name} ${k}`)
    checkCi(r.absoluteCi, c.expected.absolute_ci, fx.tolerance)
  }
})

test('srm, corrections, power, sequential, bayes, ratio', () => {
  let fx = fixture('significance/srm.json')
  for (const c of fx.cases) {
    const r = sp.srm(c.observed, c.expected_weights, c.threshold)
    assert.ok(close(r.pValue, c.expected.p_value, fx.tolerance))
    assert.equal(r.mismatch, c.expected.mismatch)
  }
  fx = fixture('significance/correction.json')
  for (const c of fx.cases) {
    const h = sp.holm(new Float64Array(c.p_values))
    const b = sp.benjaminiHochberg(new Float64Array(c.p_values))
    assert.ok(h instanceof Float64Array)
    c.expected.holm.forEach((e, i) => assert.ok(close(h[i], e, fx.tolerance)))
    c.expected.benjamini_hochberg.forEach((e, i) => assert.ok(close(b[i], e, fx.tolerance)))
  }
  fx = fixture('significance/power.json')
  for (const c of fx.cases.proportions) {
    const n = sp.sampleSizeProportions(c.baseline_rate, c.mde, { alpha: c.alpha, power: c.power, relative: c.relative, alternative: c.alternative })
    assert.ok(close(n, c.expected.n_per_arm, fx.tolerance), c.name)
  }
  fx = fixture('significance/sequential.json')
  for (const c of fx.cases) {
    const r = sp.sequential(c.estimate, c.std_error, c.sample_size, { alpha: c.alpha, tuningSampleSize: c.tuning_sample_size })
    assert.ok(close(r.pValue, c.expected.p_value, fx.tolerance), c.name)
    checkCi(r.confidenceSequence, c.expected.confidence_sequence, fx.tolerance)
  }
  fx = fixture('significance/bayes.json')
  for (const c of fx.cases) {
    const r = sp.betaBinomial(c.control, c.treatment, c.prior)
    assert.ok(close(r.chanceToBeatControl, c.expected.chance_to_beat_control, fx.tolerance), c.name)
  }
  fx = fixture('significance/ratio.json')
  for (const c of fx.cases) assert.ok(close(sp.ratio(c.control, c.treatment).z, c.expected.z, fx.tolerance))
})

test('batch form returns typed arrays equal to the scalar form', () => {
  const cases = fixture('significance/proportions.json').cases
  const col = (arm, k) => new Float64Array(cases.map((c) => c[arm][k]))
  const b = sp.twoProportionsBatch(col('control', 'visitors'), col('control', 'conversions'), col('treatment', 'visitors'), col('treatment', 'conversions'))
  assert.ok(b.pValue instanceof Float64Array)
  cases.forEach((c, i) => {
    const r = sp.twoProportions(c.control, c.treatment)
    assert.equal(b.z[i], r.z)
    assert.equal(b.pValue[i], r.pValue)
  })
})
