import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sp, fixture } from './helpers.mjs'

const SCENARIOS = fixture('rollout/scenarios.json')
const GOLDEN = fixture('rollout/golden.json')

function partial (ctx, expected, actual) {
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'reason_codes') assert.deepEqual(actual.reasons.map((r) => r.code), v, ctx)
    else assert.deepEqual(actual[k], v, `${ctx}.${k}`)
  }
}

for (const s of SCENARIOS.scenarios) {
  test(`policy scenario: ${s.name}`, () => {
    const text = sp.simulate(JSON.stringify(s.input))
    assert.equal(text, GOLDEN[s.name]) // the same bytes as Rust and Python
    const out = JSON.parse(text)
    const exp = s.expect
    for (const d of exp.decisions ?? []) partial(`${s.name} @ ${d.at}`, d, out.decisions.find((x) => x.at === d.at))
    if ('decision_count' in exp) assert.equal(out.decisions.length, exp.decision_count)
    if (exp.commands) {
      assert.equal(out.commands.length, exp.commands.length)
      exp.commands.forEach((w, i) => partial(`command ${i}`, w, out.commands[i]))
    }
    if (exp.final) partial('final', exp.final, out.final)
    for (const key of ['rollback', 'alerts', 'evidence_rejections', 'audit']) {
      if (key in exp) assert.deepEqual(out[key], exp[key], key)
    }
  })
}

for (const c of SCENARIOS.errors) {
  test(`invalid replay: ${c.name}`, () => {
    assert.throws(() => sp.simulate(c.input), (err) => {
      assert.equal(err.code, c.code, err.message)
      if (c.field) assert.ok(err.message.includes(`\`${c.field}\``), err.message)
      return true
    })
  })
}

test('plans and window status', () => {
  const plan = sp.rolloutPlan()
  assert.deepEqual(plan.phases.map((p) => p.trafficPct), [10, 25, 50, 100])
  const custom = sp.rolloutPlan('custom', { phases: [{ trafficPct: 5, minDurationSecs: 60 }, { trafficPct: 12.5, minDurationSecs: 60 }] })
  assert.equal(custom.phases[1].trafficPct, 12.5)
  assert.throws(() => sp.validatePlan({ phases: [{ trafficPct: 50, minDurationSecs: 0 }, { trafficPct: 25, minDurationSecs: 0 }] }),
    (e) => e.code === 'invalid_plan' && e.message.includes('phases[1].traffic_pct'))
  const w = { start: '2025-06-02T00:00:00Z', end: '2025-06-02T00:05:00Z', requests: 2000, errors: 0, p95Ms: 500 }
  assert.equal(sp.windowStatus(w), 'good')
  assert.equal(sp.windowStatus({ ...w, p95Ms: 500.5 }), 'breach')
  assert.equal(sp.windowStatus({ ...w, requests: 99 }), 'insufficient')
})

const at = (m) => `2025-06-02T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`
const window = (i, errors = 4, p95Ms = 320) => ({ start: at(5 * i), end: at(5 * i + 5), requests: 2000, errors, p95Ms })
const CAROL = { id: 'carol', role: 'operations_manager' }
const OLGA = { id: 'olga', role: 'operator' }
const MONITOR = { id: 'prometheus-bridge', role: 'monitor' }
const SHORT = sp.rolloutPlan('custom', { phases: [{ trafficPct: 10, minDurationSecs: 900 }, { trafficPct: 100, minDurationSecs: 900 }] })

for (const kind of ['memory', 'sqlite']) {
  test(`service flow (${kind}), Promises off the event loop`, async () => {
    const path = kind === 'sqlite' ? join(mkdtempSync(join(tmpdir(), 'scaleplan-')), 'rollouts.db') : null
    const svc = new sp.RolloutService(path, { rollbackSecs: 90 })
    await svc.create('R-1', SHORT, CAROL, at(0))
    await assert.rejects(svc.execute('R-1', { kind: 'start', actor: OLGA }, at(0)), (e) => e instanceof Error && e.code === 'forbidden')
    const started = svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0), { expectedVersion: 0, idempotencyKey: 'start' })
    assert.ok(started instanceof Promise)
    const out = await started
    assert.deepEqual([out.state, out.trafficPct, out.version], ['running', 10, 1])
    assert.equal(await svc.deployedTraffic('R-1', 'all'), 10)
    assert.equal((await svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0), { idempotencyKey: 'start' })).replayed, true)
    await assert.rejects(svc.execute('R-1', { kind: 'resume', actor: OLGA }, at(1), { expectedVersion: 0 }), (e) => e.code === 'conflict')
    let last
    for (let i = 0; i < 3; i++) last = await svc.observe('R-1', at(5 * i + 5), window(i), [at(5 * i + 5)], { actor: MONITOR })
    assert.equal(last.decision.decision, 'advance')
    await assert.rejects(svc.observe('R-1', at(10), window(1), [], { actor: MONITOR }), (e) => e.code === 'late_evidence')
    await svc.reportIncident('R-1', { id: 'INC-1', severity: 'P1', openedAt: at(16), resolvedAt: null }, { actor: MONITOR })
    assert.equal((await svc.observe('R-1', at(20), window(3), [], { actor: MONITOR })).state, 'paused_incident')
    await assert.rejects(svc.execute('R-1', { kind: 'resume', actor: OLGA }, at(21)), (e) => e.code === 'incident_still_open')
    const rb = await svc.observe('R-1', at(25), window(4, 200), [], { actor: MONITOR })
    assert.equal(rb.decision.decision, 'rollback')
    assert.equal(rb.state, 'rolled_back')
    assert.deepEqual([rb.rollback.durationSecs, rb.rollback.slaMet], [90, true])
    assert.equal(await svc.deployedTraffic('R-1', 'all'), 0)
    assert.equal((await svc.verifyAudit('R-1')).intact, true)
    const events = await svc.audit('R-1')
    assert.equal(sp.verifyAudit(events).intact, true)
    events[2].actorId = 'mallory'
    assert.equal(sp.verifyAudit(events).brokenAt, 3)
    assert.equal((await svc.decisions('R-1')).length, 5)
    const page = await svc.decisions('R-1', { limit: 2 })
    assert.deepEqual(page.map((d) => d.version), (await svc.decisions('R-1')).map((d) => d.version).reverse().slice(0, 2))
    assert.equal((await svc.decisions('R-1', { limit: 10, before: page[1].version })).length, 3)
    await assert.rejects(svc.decisions('R-1', { limit: -1 }), (e) => e.code === 'negative')
    await assert.rejects(svc.rollout('nope'), (e) => e.code === 'unknown_rollout')
    if (path) {
      const again = new sp.RolloutService(path)
      assert.deepEqual(await again.rolloutIds(), ['R-1'])
      assert.equal((await again.rollout('R-1')).status, 'rolled_back')
    }
  })
}

test('a keyed store seals its log', async () => {
  const svc = new sp.RolloutService(null, { auditKey: 'host secret from the vault' })
  await svc.create('R-1', SHORT, CAROL, at(0))
  await svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0))
  assert.equal((await svc.verifyAudit('R-1')).intact, true)
  assert.ok((await svc.audit('R-1')).every((e) => e.hash.startsWith('hmac-sha256:') && e.rolloutId === 'R-1'))
  assert.throws(() => new sp.RolloutService(null, { auditKey: 'short' }), (e) => e.code === 'out_of_range')
})
