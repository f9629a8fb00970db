// Resource estimation through the Node binding: the shared fixtures (Kubernetes, scipy, mpmath), the
// issue's worked example to the cent, money as decimal strings in and out.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sp, fixture, ROOT } from './helpers.mjs'

const catalog = sp.loadCatalog(readFileSync(join(ROOT, 'examples', 'data', 'catalog.toml'), 'utf8'))
const rel = (a, b, tol) => Math.abs(a - b) <= tol * Math.abs(b)

test('costTotals: the issue example to the cent, money as strings', () => {
  const t = sp.costTotals([
    { name: 'compute', quantity: 15, unitPrice: '160.00', kind: 'monthly' },
    { name: 'storage GB', quantity: '50', unitPrice: '0.50', kind: 'monthly' },
    { name: 'team hours', quantity: 40, unitPrice: '100.00', kind: 'one_time' },
  ])
  assert.deepEqual([t.oneTime, t.monthly, t.firstMonth, t.firstYear], ['4000.00', '2425.00', '6425.00', '33100.00'])
  assert.deepEqual(t.lineTotals.map((l) => l.total), ['2400.00', '25.00', '4000.00'])
  assert.throws(() => sp.costTotals([{ name: 'x', quantity: 1, unitPrice: 0.5, kind: 'monthly' }]),
    (e) => e.code === 'json' && /floats are not exact/.test(e.message))
})

test('estimate: the issue example, camelCase or snake_case input, same bytes as Rust', () => {
  const cat = { name: 'issue', currency: 'USD', hoursPerMonth: '800',
    instances: [{ name: 'app', vcpu: 2, memoryGib: 8, hourly: '0.20' }],
    storage: [{ name: 'ssd', perGbMonth: '0.50' }],
    teamRates: [{ role: 'engineer', hourly: '100.00' }] }
  const req = { targetUsers: 50000, instanceType: 'app', storage: 'ssd', storageMonths: 1,
    demand: { users: 1000, peakRpsPerUser: 0.0042, cpuSecondsPerRequest: 0.1, storageGbPerUserMonth: 0.001 },
    teamHours: [{ role: 'engineer', hours: 40 }] }
  const e = sp.estimate(req, cat)
  assert.equal(e.configuration.sizing.instances, 15)
  assert.deepEqual([e.totals.oneTime, e.totals.monthly, e.totals.firstMonth], ['4000.00', '2425.00', '6425.00'])
  assert.deepEqual([e.range.low.totals.monthly, e.range.high.totals.monthly], ['1940.00', '2910.00'])
  const snake = JSON.stringify({ target_users: 50000, instance_type: 'app', storage: 'ssd', storage_months: 1,
    demand: { users: 1000, peak_rps_per_user: 0.0042, cpu_seconds_per_request: 0.1, storage_gb_per_user_month: 0.001 },
    team_hours: [{ role: 'engineer', hours: 40 }] })
  const catJson = JSON.stringify({ name: 'issue', currency: 'USD', hours_per_month: '800',
    instances: [{ name: 'app', vcpu: 2, memory_gib: 8, hourly: '0.20' }],
    storage: [{ name: 'ssd', per_gb_month: '0.50' }], team_rates: [{ role: 'engineer', hourly: '100.00' }] })
  const text = sp.estimateJson(snake, catJson)
  assert.ok(text.includes('"first_month":"6425.00"'), text)
  assert.equal(JSON.parse(text).configuration.sizing.instances, 15)
})

test('estimate with the sample catalog, milestones, impact, phases, triggers', () => {
  const req = { targetUsers: 50000, instanceType: 'app.large', currentInstances: 4,
    demand: { users: 1000, peakRpsPerUser: 0.05, cpuSecondsPerRequest: 0.02, dbConnectionsPerInstance: 20, cacheGibPerUser: 0.0001 },
    database: { current: 'db.medium' }, cache: {} }
  const e = sp.estimate(req, catalog)
  assert.equal(e.configuration.databaseTier, 'db.large')
  assert.equal(e.configuration.cacheTier, 'cache.large')
  const plans = sp.capacityMilestones(req, catalog, [{ label: 'day 30', users: 250 }, { label: 'day 90', users: 1000 }])
  assert.deepEqual(plans.map((p) => p.label), ['day 30', 'day 90'])
  const i = sp.impact({ users: 50000, baselineRate: 0.1, opportunitiesPerUserPerYear: 12,
    lift: { low: 0.08, expected: 0.23, high: 0.38 }, valuePerConversion: '4.50', currency: 'USD' })
  assert.equal(i.expected.annualValue, '62100.00')
  assert.equal(sp.growthPhase(1100, 'startup').phase, 'growth')
  assert.equal(sp.growthPhase(950, 'growth').transition, null)
  const cpu = Array.from({ length: 61 }, (_, m) => ({ time: 60 * m, value: 21 }))
  const r = sp.scalingTriggers({ now: 3600, cpuPercent: cpu, instances: 10, instanceMonthlyPrice: '140.16' })
  assert.equal(r.recommendations[0].monthlySaving, '981.12')
  assert.equal(r.recommendations[0].suggestedInstances, 3)
})

test('uslFit matches the scipy fixture; throughput(n) and the peak', () => {
  const fx = fixture('estimate/usl.json')
  for (const c of fx.cases) {
    const f = sp.uslFit(c.concurrency, c.throughput)
    for (const k of ['lambda', 'sigma', 'kappa']) assert.ok(rel(f[k], c.expected[k], fx.tolerance.coefficients_rel), `${c.name} ${k}`)
    assert.deepEqual(f.atBound, c.expected.at_bound, c.name)
    for (const k of ['lambda', 'sigma', 'kappa']) {
      const want = c.expected.std_errors[k]
      if (want === null) assert.ok(f.stdErrors[k] === null && f.intervals[k] === null, `${c.name} ${k} on a bound`)
      else assert.ok(rel(f.stdErrors[k], want, fx.tolerance.std_errors_rel), `${c.name} ${k} std error`)
    }
  }
  const f = sp.uslFit([1, 18, 36, 72, 108, 144, 216], [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2])
  assert.equal(Math.round(f.peakConcurrency), 97)
  assert.ok(Math.abs(f.throughput(1) - f.lambda) < 1e-9)
  assert.ok(f.pastPeakWarning(150).includes('past the USL peak'))
  assert.equal(JSON.parse(f.toJson()).lambda, f.lambda)
})

test('erlangC / minServers match the mpmath fixture', () => {
  const fx = fixture('estimate/erlang_c.json')
  for (const c of fx.cases) {
    const q = sp.erlangC(c.arrival_rate, c.mean_service_time, c.servers, c.answer_time)
    for (const [k, js] of [['offered_load', 'offeredLoad'], ['utilization', 'utilization'], ['p_wait', 'pWait'], ['mean_wait', 'meanWait'], ['service_level', 'serviceLevel']]) {
      assert.ok(rel(q[js], c.expected[k], fx.tolerance.rel), `${c.name} ${k}`)
    }
  }
  for (const c of fx.min_servers) {
    assert.equal(sp.minServers(c.arrival_rate, c.mean_service_time, c.criterion, c.value, c.answer_time).servers, c.expected_servers, c.name)
  }
  assert.deepEqual([...sp.minServersBatch(new Float64Array([50, 100]), 0.05, 'service_level_at_least', 0.8, 0.02)].slice(1), [7])
  assert.ok(sp.erlangC(100, 0.05, 7, 0.02).waitPercentile(0.9) > 0)
})

test('hpaDesiredReplicas matches the Kubernetes fixture; hpaScale applies the behaviour', () => {
  for (const c of fixture('estimate/hpa_kubernetes.json').cases) {
    const r = sp.hpaDesiredReplicas(c.current_replicas, c.pods, c.target_utilization_percent, c.tolerance)
    assert.deepEqual([r.desiredReplicas, r.utilizationPercent], [c.expected_replicas, c.expected_utilization], c.name)
  }
  let { decision, state } = sp.hpaScale({ minReplicas: 2, maxReplicas: 40 }, 0, 10, 50)
  assert.deepEqual([decision.replicas, decision.limit], [20, 'ScaleUpLimit'])
  ;({ decision, state } = sp.hpaScale({ minReplicas: 2, maxReplicas: 40 }, 16, 20, 50, state))
  assert.equal(decision.replicas, 40)
  ;({ decision } = sp.hpaScale({ minReplicas: 2, maxReplicas: 40 }, 60, 40, 3, state))
  assert.equal(decision.replicas, 40)
})
