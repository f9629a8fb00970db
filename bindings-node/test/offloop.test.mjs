// Promise forms of the long calls: the same results as the synchronous forms, computed off the event
// loop (a timer keeps firing meanwhile), rejecting and never throwing on bad input.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sp, ROOT } from './helpers.mjs'

const read = (p) => readFileSync(join(ROOT, p), 'utf8')

test('estimateAsync and assessReadinessAsync resolve to the synchronous results', async () => {
  const cat = { name: 'issue', currency: 'USD', hoursPerMonth: '800',
    instances: [{ name: 'app', vcpu: 2, memoryGib: 8, hourly: '0.20' }],
    storage: [{ name: 'ssd', perGbMonth: '0.50' }],
    teamRates: [{ role: 'engineer', hourly: '100.00' }] }
  const req = { targetUsers: 50000, instanceType: 'app', storage: 'ssd', storageMonths: 1,
    demand: { users: 1000, peakRpsPerUser: 0.0042, cpuSecondsPerRequest: 0.1, storageGbPerUserMonth: 0.001 },
    teamHours: [{ role: 'engineer', hours: 40 }] }
  const p = sp.estimateAsync(req, cat)
  assert.ok(p instanceof Promise)
  assert.deepEqual(await p, sp.estimate(req, cat))
  const experiment = JSON.parse(read('examples/data/experiment.json'))
  const policy = JSON.parse(read('examples/data/policy.json'))
  assert.deepEqual(await sp.assessReadinessAsync(experiment, policy), sp.assessReadiness(experiment, policy))
})

test('simulateAsync runs a year of ticks without blocking the event loop', async () => {
  const at = (s) => new Date(Date.UTC(2025, 5, 2) + s * 1000).toISOString().replace('.000', '')
  const windows = Array.from({ length: 366 * 288 }, (_, i) => ({ start: at(300 * i), end: at(300 * i + 300), requests: 40, errors: 0, p95_ms: 320 }))
  const replay = JSON.stringify({
    plan: { strategy: 'custom', phases: [{ traffic_pct: 10, min_duration_secs: 7200 }, { traffic_pct: 100, min_duration_secs: 86400 }] },
    start: { phase: 1, attempt_start: at(0), state: 'running' },
    until: at(366 * 86400),
    windows,
    events: windows.map((w) => w.end)
  })
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 5)
  const t0 = performance.now()
  let text
  try {
    text = await sp.simulateAsync(replay)
  } finally {
    clearInterval(timer)
  }
  const ms = performance.now() - t0
  const out = JSON.parse(text)
  assert.equal(out.final.state, 'running')
  assert.equal(out.decisions.length, 366 * 288)
  // the loop kept turning while the replay ran (a blocked loop would fire the timer at most once)
  assert.ok(ticks >= Math.min(3, Math.floor(ms / 20)), `${ticks} timer ticks in ${ms.toFixed(0)} ms`)
})

test('Promise forms reject, never throw, on bad input', async () => {
  const p = sp.simulateAsync(42)
  assert.ok(p instanceof Promise)
  await assert.rejects(p, (e) => e.code === 'wrong_type')
  await assert.rejects(sp.simulateAsync('{'), (e) => e.code === 'json' || e.code === 'invalid_replay')
  await assert.rejects(sp.estimateAsync({}, {}), (e) => typeof e.code === 'string')
})

test('forecastAsync, backtestAsync and detectAsync resolve to the synchronous results', async () => {
  const y = Float64Array.from({ length: 240 }, (_, i) => 100 + 20 * Math.sin((2 * Math.PI * i) / 12) + i * 0.5)
  const f = await sp.forecastAsync(y, 12, 12)
  const g = sp.forecast(y, 12, 12)
  assert.ok(f.mean instanceof Float64Array)
  assert.deepEqual(f, g)
  assert.deepEqual(await sp.backtestAsync(y, 12, 12, null, { windows: 2 }), sp.backtest(y, 12, 12, null, { windows: 2 }))
  const x = Float64Array.from({ length: 500 }, (_, i) => 50 + ((i * 7919) % 13) / 13)
  x[300] = 200
  const d = await sp.detectAsync(x)
  const e = sp.detect(x)
  assert.deepEqual([d.method, d.flags, d.scores, d.missing], [e.method, e.flags, e.scores, e.missing])
  assert.deepEqual(d.alerts, JSON.parse(JSON.stringify(e.alerts)))
  assert.equal(d.alerts.length, 1)
})

test('the forecast-family Promise forms reject, never throw, on bad input', async () => {
  let p
  assert.doesNotThrow(() => { p = sp.forecastAsync('nope', 12) })
  await assert.rejects(p, (e) => typeof e.code === 'string' && e.code !== 'internal')
  await assert.rejects(sp.forecastAsync([1, 2, 3], 0), (e) => e.code === 'out_of_range')
  await assert.rejects(sp.detectAsync([1, 2, 3], null, 'nonsense'), (e) => e.code === 'json')  // as detect throws
  await assert.rejects(sp.backtestAsync([1, 2], 12), (e) => typeof e.code === 'string')
})
