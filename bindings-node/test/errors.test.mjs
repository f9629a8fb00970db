import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sp, fixture, num, ROOT } from './helpers.mjs'

const arm2 = (a) => ({ visitors: num(a[0]), conversions: num(a[1]) })
const arm3 = (a) => ({ n: num(a[0]), mean: num(a[1]), variance: num(a[2]) })
const doc = (v) => (typeof v === 'string' && v.endsWith('.json') ? readFileSync(join(ROOT, v), 'utf8') : v)
const f64 = (xs) => new Float64Array(xs.map(num))

function call(name, a) {
  const opts = {}
  if ('alpha' in a) opts.alpha = a.alpha
  if ('alternative' in a) opts.alternative = a.alternative
  switch (name) {
    case 'two_proportions': return sp.twoProportions(arm2(a.control), arm2(a.treatment), opts)
    case 'welch': return sp.welch(arm3(a.control), arm3(a.treatment), opts)
    case 'srm': return sp.srm(a.observed.map(num), a.expected_weights.map(num))
    case 'holm': return sp.holm(f64(a.p_values))
    case 'benjamini_hochberg': return sp.benjaminiHochberg(f64(a.p_values))
    case 'sample_size_proportions': return sp.sampleSizeProportions(a.baseline_rate, a.mde, 'power' in a ? { power: a.power } : undefined)
    case 'two_proportions_batch': return sp.twoProportionsBatch(f64(a.control_visitors), f64(a.control_conversions), f64(a.treatment_visitors), f64(a.treatment_conversions))
    case 'assess_readiness': return sp.assessReadiness(doc(a.experiment), doc(a.policy))
    case 'sequential': return sp.sequential(a.estimate, a.std_error, a.sample_size)
    case 'estimate': return sp.estimate(a.request, sp.loadCatalog(readFileSync(join(ROOT, a.catalog), 'utf8')))
    case 'usl_fit': return sp.uslFit(a.concurrency, a.throughput)
    case 'erlang_c': return sp.erlangC(a.arrival_rate, a.mean_service_time, a.servers)
    case 'min_servers': return sp.minServers(a.arrival_rate, a.mean_service_time, a.criterion, a.value)
    case 'cost_totals': return sp.costTotals(a.line_items, a.currency)
    case 'load_catalog': return sp.loadCatalog(a.text, a.format)
    case 'impact': return sp.impact(a.input)
    case 'hpa_desired_replicas': return sp.hpaDesiredReplicas(a.current_replicas, a.pods, a.target_utilization_percent)
    case 'detect': return sp.detect(a.values, a.timestamps)
    case 'budget_status': return sp.budgetStatus(a.budget, a.entries, a.as_of)
    case 'stream_from_json': return sp.DetectorStream.fromJson(JSON.stringify({ ...JSON.parse(new sp.DetectorStream(a.method).toJson()), ...a.set }))
    case 'simulate': return sp.simulate(a.input)
    case 'rollout': return rollout(a)
    default: throw new Error(`unknown call ${name}`)
  }
}

// A fresh service (memory, or `store` as a SQLite path); every step but the last must succeed.
async function rollout (a) {
  const svc = new sp.RolloutService(a.store ?? null)
  for (const s of a.steps) {
    if (s.op === 'create') await svc.create(s.id, s.plan, s.initiator, s.now)
    else if (s.op === 'execute') await svc.execute(s.id, s.command, s.now, s.expected_version === undefined ? undefined : { expectedVersion: s.expected_version })
    else if (s.op === 'observe') await svc.observe(s.id, s.now, s.window, [], { actor: s.actor })
    else if (s.op === 'report_incident') await svc.reportIncident(s.id, s.incident, { actor: s.actor })
    else throw new Error(`unknown step ${s.op}`)
  }
}

for (const c of fixture('errors.json').cases) {
  test(`error: ${c.name}`, async () => {
    await assert.rejects(async () => call(c.call, c.args), (err) => {
      assert.ok(err instanceof Error)
      assert.equal(err.code, c.code, err.message)
      if (c.field) assert.ok(err.message.includes(c.field), err.message)
      return true
    })
  })
}
