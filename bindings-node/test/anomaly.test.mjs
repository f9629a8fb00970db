// Anomaly detection and forecasting through the Node binding: typed arrays in and out, errors with codes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const sp = require('../index.js')

test('detect takes a Float64Array and returns typed arrays and one alert per anomaly', () => {
  const y = new Float64Array(60).fill(100)
  for (let i = 30; i < 34; i++) y[i] = 400
  const d = sp.detect(y, null, 'baseline_ratio', { window: 7, ratio: 1.5 })
  assert.ok(d.flags instanceof Uint8Array && d.scores instanceof Float64Array)
  assert.equal(d.flags[30], 1)
  assert.equal(d.alerts.length, 1)
  assert.equal(d.alerts[0].reason, '400 is 4.00x the trailing 7-period mean 100 (threshold 1.5x)')
  assert.equal(d.alerts[0].startIndex, 30)
})

test('a stream resumes from JSON and agrees with the batch form', () => {
  const y = new Float64Array(300).map((_, i) => 50 + ((i * 7919) % 23) - 11)
  y[200] = 200
  const batch = sp.detect(y, null, 'robust_z', { window: 50 })
  let s = new sp.DetectorStream('robust_z', { window: 50 })
  const opened = []
  for (let i = 0; i < y.length; i++) {
    if (i === 150) s = sp.DetectorStream.fromJson(s.toJson())
    const ev = s.push(y[i])
    if (ev && ev.event === 'opened') opened.push(ev.alert.startIndex)
  }
  assert.deepEqual(opened, batch.alerts.map((a) => a.startIndex))
  // extend: the same events as pushing one by one; an infinity is refused before anything is pushed.
  const many = new sp.DetectorStream('robust_z', { window: 50 })
  const evs = many.extend(y)
  assert.deepEqual(evs.filter((e) => e.event === 'opened').map((e) => e.alert.startIndex), opened)
  assert.equal(many.periods, 300)
  assert.throws(() => many.extend(new Float64Array([1, Infinity])), (e) => e.code === 'not_finite')
  assert.equal(many.periods, 300)
})

test('forecast, growthRate, exhaustion', () => {
  const y = new Float64Array(72).map((_, t) => (1000 + 10 * t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)))
  const f = sp.forecast(y, 12, 12)
  assert.match(f.model, /^ETS\(/)
  assert.ok(f.mean instanceof Float64Array && f.mean.length === 12)
  for (let i = 0; i < 12; i++) assert.ok(f.lower[i] <= f.mean[i] && f.mean[i] <= f.upper[i])
  if (f.seasonLength === 12) assert.ok(['first_seasons', 'whole_series'].includes(f.params.initialSeason))
  assert.equal(sp.forecast(new Float64Array(30).map((_, t) => 5 + t), 6).params.initialSeason, null)
  assert.equal(sp.forecast(y, 3, 12, 95, { model: 'seasonal_naive' }).model, 'SeasonalNaive(12)')
  const g = sp.growthRate(new Float64Array([100, 110, 121, 133]))
  assert.ok(Math.abs(g.rate - 0.0997) < 1e-3 && g.confidenceLabel === 'high')
  const e = sp.exhaustion(new Float64Array(24).map((_, t) => 50 + 2 * t), 120, 36)
  assert.equal(e.period, 12)
})

test('errors carry codes', () => {
  assert.throws(() => sp.detect(new Float64Array([1, Infinity])), { code: 'not_finite' })
  assert.throws(() => sp.forecast(new Float64Array([1]), 3), { code: 'too_few_observations' })
  assert.throws(() => sp.detect(new Float64Array([1, 2, 3, 4]), new Float64Array([0, 60, 120, 6e6])), { code: 'invalid_timestamps' })
  assert.throws(() => sp.forecast(new Float64Array([1, 2, 3]), 1.5), { code: 'not_integer' })
})

test('budgetStatus, regression and savings take camelCase objects', () => {
  const entries = Array.from({ length: 20 }, (_, i) => ({
    date: `2026-06-${String(i + 1).padStart(2, '0')}`, amount: { amount: '100.00', currency: 'USD' }, service: 'api', team: 'core',
  }))
  const s = sp.budgetStatus({ name: 'web', period: 'monthly', amount: { amount: '3000.00', currency: 'USD' } }, entries, '2026-06-20')
  assert.equal(s.spent.amount, '2000.00')
  const base = new Float64Array(200).map((_, i) => 100 + (i % 50))
  assert.equal(sp.regression(base, base.map((v) => v * 1.2)).regressed, true)
  const recs = sp.savings([{ id: 'web', units: 10, unitMonthlyCost: { amount: '70.00', currency: 'USD' },
    utilisation: [12, 15, 18, 14, 16, 13, 17], observedDays: 30, reservedDiscount: '0.30' }], { asOf: '2026-07-01' })
  assert.deepEqual(recs.map((r) => r.monthlySaving.amount), ['490.00', '63.00'])
})

test('BudgetTracker records alerts once, resumes from JSON and refuses edited state', () => {
  const budget = { name: 'web', period: 'monthly', amount: { amount: '3000.00', currency: 'USD' } }
  let t = new sp.BudgetTracker(budget)
  const fired = []
  for (let d = 1; d <= 20; d++) {
    if (d === 10) t = sp.BudgetTracker.fromJson(t.toJson())
    const date = `2026-06-${String(d).padStart(2, '0')}`
    fired.push(...t.record({ date, amount: { amount: '100.00', currency: 'USD' }, service: 'api', team: 'core' }))
  }
  assert.deepEqual(fired.filter((a) => a.kind === 'threshold').map((a) => a.threshold), [50])
  assert.equal(t.status('2026-06-20').spent.amount, '2000.00')
  assert.throws(
    () => t.record({ date: '2026-06-19', amount: { amount: '1.00', currency: 'USD' }, service: 'api', team: 'core' }),
    (e) => e.code === 'invalid_timestamps'
  )
  assert.throws(() => sp.BudgetTracker.fromJson(t.toJson().replace('"3000.00"', '"0"')), (e) => typeof e.code === 'string')
})

test('recommendationStep walks the lifecycle', () => {
  const recs = sp.savings(
    [{ id: 'web', units: 10, unitMonthlyCost: { amount: '70.00', currency: 'USD' }, utilisation: [12, 15, 18, 14, 16, 13, 17], observedDays: 30, reservedDiscount: '0.30' }],
    { asOf: '2026-07-01' }
  )
  let r = sp.recommendationStep(recs[0], 'approve', '2026-07-01', 'lead')
  assert.equal(r.status, 'approved')
  assert.equal(recs[0].status, 'pending')
  r = sp.recommendationStep(r, 'implement', '2026-07-03', 'sre')
  assert.equal(r.status, 'implemented')
  assert.throws(() => sp.recommendationStep(r, 'reject', '2026-07-04', 'cfo'), (e) => e.code === 'illegal_transition')
  assert.throws(() => sp.recommendationStep(recs[0], 'undo', '2026-07-01'), (e) => e.code === 'unknown_variant')
  assert.equal(sp.recommendationStep(recs[0], 'expire', recs[0].expires).status, 'expired')
})

test('a result of more than a million JSON values comes back whole (alert events)', () => {
  // 80,000 points two up, two down: 20,000 threshold alerts and 60,000 events of 18 values each, about
  // 1.08 million values, where napi's own serde_json conversion stops at 1,000,000 ("Exceeded maximum
  // JSON value count").
  const x = new Float64Array(80_000).map((_, i) => (i % 4 < 2 ? 100 : 0))
  const s = new sp.DetectorStream('threshold', { threshold: 50, duration: 1, cooldown: 0 })
  const evs = s.extend(x)
  assert.equal(evs.length, 60_000)
  assert.deepEqual(evs.slice(0, 3).map((e) => e.event), ['opened', 'updated', 'closed'])
  assert.equal(evs[59_999].alert.endIndex, 79_997)
  assert.equal(s.periods, 80_000)
  const d = sp.detect(x, null, 'threshold', { threshold: 50, duration: 1, cooldown: 0 })
  assert.equal(d.alerts.length, 20_000)
  assert.equal(d.alerts[19_999].startIndex, 79_996)
})

test('an input of more than a million values is read whole (savings over long utilisation series)', () => {
  // 2 x 510,000 utilisation samples: over napi's 1,000,000-value limit for a serde_json::Value argument,
  // so the binding hands such documents to the engine's JSON.stringify instead.
  const res = (id, n) => ({ id, units: 10, unitMonthlyCost: { amount: '70.00', currency: 'USD' },
    utilisation: Array.from({ length: n }, (_, i) => 12 + (i % 7)), observedDays: 30, reservedDiscount: '0.30' })
  const big = sp.savings([res('web', 510_000), res('api', 510_000)], { asOf: '2026-07-01' })
  const small = sp.savings([res('web', 7), res('api', 7)], { asOf: '2026-07-01' })
  assert.deepEqual(big.map((r) => [r.id, r.monthlySaving.amount]), small.map((r) => [r.id, r.monthlySaving.amount]))
  assert.deepEqual(big.map((r) => r.monthlySaving.amount).sort(), ['490.00', '490.00', '63.00', '63.00'])
  // JSON text is taken as it is; a missing argument is the typed json error it was before.
  assert.equal(sp.savings(JSON.stringify([res('web', 7)]), { asOf: '2026-07-01' }).length, 2)
  assert.throws(() => sp.savings(undefined, { asOf: '2026-07-01' }), (e) => e.code === 'json')
  const loop = res('web', 7)
  loop.self = loop
  assert.throws(() => sp.savings([loop], { asOf: '2026-07-01' }),
    (e) => e.code === 'json' && /cannot be written as JSON: TypeError: Converting circular structure/.test(e.message))
})

test('backtest matches statsforecast cross_validation (testdata/forecast/backtest.json)', async () => {
  const { fixture } = await import('./helpers.mjs')
  const fx = fixture('forecast/backtest.json')
  const near = (a, e) => Math.abs(a - e) <= fx.tolerance * Math.abs(e)
  for (const c of fx.cases) {
    const b = sp.backtest(new Float64Array(c.values), c.horizon, c.season_length, 95,
      { model: 'seasonal_naive', windows: c.windows, step: c.step })
    assert.deepEqual(b.windows.map((w) => w.cutoff), c.expected.map((e) => e.cutoff))
    b.windows.forEach((w, i) => {
      const e = c.expected[i]
      w.mean.forEach((v, k) => assert.ok(near(v, e.mean[k]), `${c.name} mean`))
      w.lower.forEach((v, k) => assert.ok(near(v, e.lower[k]), `${c.name} lower`))
      assert.ok(near(w.accuracy.smape, e.smape) && near(w.accuracy.mase, e.mase), c.name)
      assert.ok(Math.abs(w.accuracy.coverage - e.coverage) < 1e-12, c.name)
    })
  }
  assert.throws(() => sp.backtest(new Float64Array(30), 6, null, 95, { windows: 0 }), (e) => e.code === 'out_of_range')
  assert.throws(() => sp.backtest(new Float64Array(30), 6, null, 95, { windows: 1.5 }), (e) => e.code === 'not_integer')
})

test('auto takes the alert budget (snake_case, as the JSON names it)', () => {
  let s = 3
  const x = new Float64Array(3000).map(() => {
    s = (s * 1103515245 + 12345) % 2147483648
    return 50 + s / 2147483648
  })
  assert.match(sp.detect(x, null, 'auto', { expected_false_alarms_per: 2000 }).method, /expected_false_alarms_per=2000/)
  assert.match(sp.detect(x).method, /expected_false_alarms_per=10000/)
  assert.match(sp.detect(x.subarray(0, 500), null, 'auto', { expected_false_alarms_per: 2000 }).method, /^robust_z\(window=50, threshold=4\.28\b/)
  assert.match(sp.detect(x.subarray(0, 500)).method, /^robust_z\(window=50, threshold=5\.02\b/)
  assert.throws(() => sp.detect(x, null, 'auto', { expected_false_alarms_per: 5 }), { code: 'out_of_range' })
})
