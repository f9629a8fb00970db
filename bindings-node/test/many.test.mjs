// Many series at once (a panel: values end to end and the offsets where each series starts), in
// parallel over the cores: every series' numbers are the one-series call's, in series order; a bad
// series or bad offsets are typed errors; the Promise forms resolve to the same.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sp } from './helpers.mjs'

function panel (nSeries) {
  const series = []
  let seed = 7
  const noise = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5 }
  for (let s = 0; s < nSeries; s++) {
    const n = 400 + 13 * s
    const y = Float64Array.from({ length: n }, (_, t) => 100 + s + 5 * Math.sin(2 * Math.PI * t / 24) + noise())
    y[n - 30] += 40
    series.push(y)
  }
  const offsets = [0]
  for (const y of series) offsets.push(offsets[offsets.length - 1] + y.length)
  const values = new Float64Array(offsets[offsets.length - 1])
  series.forEach((y, i) => values.set(y, offsets[i]))
  return { series, values, offsets }
}

test('forecastMany is forecast per series, in series order', async () => {
  const { series, values, offsets } = panel(6)
  const many = sp.forecastMany(values, offsets, 12, 24)
  assert.equal(many.length, 6)
  series.forEach((y, i) => {
    const one = sp.forecast(y, 12, 24)
    assert.deepEqual(many[i].mean, one.mean)
    assert.deepEqual(many[i].upper, one.upper)
    assert.equal(many[i].model, one.model)
  })
  assert.deepEqual(sp.forecastMany(values, offsets, 12, 24, null, { threads: 1 }), many)
  assert.deepEqual(await sp.forecastManyAsync(values, Float64Array.from(offsets), 12, 24), many)
})

test('detectMany is detect per series, with timestamps cut the same way', async () => {
  const { series, values, offsets } = panel(5)
  const times = Float64Array.from({ length: values.length }, (_, i) => 1_700_000_000 + 3600 * i)
  const many = sp.detectMany(values, offsets, times, 'auto', { threads: 2 })
  assert.equal(many.length, 5)
  series.forEach((y, i) => {
    const one = sp.detect(y, times.subarray(offsets[i], offsets[i + 1]))
    assert.deepEqual(many[i].alerts, one.alerts)
    assert.equal(many[i].method, one.method)
    assert.ok(many[i].alerts.some((a) => a.startIndex === y.length - 30), `series ${i}: the planted spike`)
  })
  const again = await sp.detectManyAsync(values, offsets, times)
  assert.deepEqual(again.map((d) => d.alerts), many.map((d) => d.alerts))
})

test('detectManyAlerts is detectMany\'s alerts, for every method, with and without timestamps', async () => {
  const { series, values, offsets } = panel(5)
  const times = Float64Array.from({ length: values.length }, (_, i) => 1_700_000_000 + 3600 * i)
  for (const [method, params] of [['auto', {}], ['robust_z', { window: 48 }], ['seasonal', { seasonLength: 24 }],
    ['ewma', {}], ['calibrated', {}], ['baseline_ratio', { window: 24, cooldown: 3 }]]) {
    for (const t of [null, times]) {
      const alerts = sp.detectManyAlerts(values, offsets, t, method, { ...params, threads: 2 })
      const full = sp.detectMany(values, offsets, t, method, params)
      assert.equal(alerts.length, series.length)
      assert.deepEqual(alerts, full.map((d) => d.alerts), `${method}, timestamps ${t !== null}`)
    }
  }
  const auto = sp.detectManyAlerts(values, offsets)
  series.forEach((y, i) => assert.ok(auto[i].some((a) => a.startIndex === y.length - 30), `series ${i}: the planted spike`))
  assert.deepEqual(await sp.detectManyAlertsAsync(values, offsets), auto)
  assert.throws(() => sp.detectManyAlerts(values, [0, 2.5, values.length]), (e) => e.code === 'out_of_range' && /offsets\[1\]/.test(e.message))
  const bad = Float64Array.from(values)
  bad[offsets[3] + 2] = Infinity
  assert.throws(() => sp.detectManyAlerts(bad, offsets), (e) => e.code === 'not_finite' && /series\[3\]/.test(e.message))
  await assert.rejects(sp.detectManyAlertsAsync(values, offsets, null, 'auto', { threads: 0 }), (e) => e.code === 'out_of_range' && /threads/.test(e.message))
})

test('bad offsets, a bad series and bad threads are typed errors naming them', async () => {
  const { values, offsets } = panel(3)
  assert.throws(() => sp.forecastMany(values, [1, ...offsets.slice(1)], 6), (e) => e.code === 'out_of_range' && /offsets\[0\]/.test(e.message))
  assert.throws(() => sp.detectMany(values, [0, 2.5, values.length]), (e) => e.code === 'out_of_range' && /offsets\[1\]/.test(e.message))
  const bad = Float64Array.from(values)
  bad[offsets[2] + 3] = Infinity
  assert.throws(() => sp.forecastMany(bad, offsets, 6), (e) => e.code === 'not_finite' && /series\[2\]/.test(e.message))
  assert.throws(() => sp.detectMany(values, offsets, null, 'auto', { threads: 0 }), (e) => e.code === 'out_of_range' && /threads/.test(e.message))
  await assert.rejects(sp.forecastManyAsync(values, [0, values.length + 1], 6), (e) => e.code === 'out_of_range')
})
