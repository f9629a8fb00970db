// new RolloutService('postgresql://...') against the server .ci/run starts (SCALEPLAN_TEST_PG_URL): two
// service instances on one rollout, concurrent writers, a user deployer. Skipped without a server
// unless SCALEPLAN_REQUIRE_PG is set (CI), where a missing server fails.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { randomUUID } from 'node:crypto'

const sp = createRequire(import.meta.url)('..')
const URL = process.env.SCALEPLAN_TEST_PG_URL
if (!URL && process.env.SCALEPLAN_REQUIRE_PG) throw new Error('SCALEPLAN_REQUIRE_PG is set but SCALEPLAN_TEST_PG_URL is not')
const skip = URL ? false : 'no PostgreSQL server (bash scripts/pg-start)'
const at = (m) => `2025-06-02T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`
const window = (i) => ({ start: at(5 * i), end: at(5 * i + 5), requests: 2000, errors: 4, p95Ms: 320 })
const CAROL = { id: 'carol', role: 'operations_manager' }
const OLGA = { id: 'olga', role: 'operator' }
const MONITOR = { id: 'prometheus-bridge', role: 'monitor' }
const plan = (region, secs = 900) => sp.rolloutPlan('custom', {
  scope: { kind: 'regions', regions: [region] },
  phases: [{ trafficPct: 10, minDurationSecs: secs }, { trafficPct: 100, minDurationSecs: secs }]
})

test('two instances share a rollout; a stale rollback still gets through', { skip }, async () => {
  const id = `R-${randomUUID().slice(0, 8)}`
  const region = `eu-${randomUUID().slice(0, 8)}`
  const weights = new Map()
  const flags = {
    name: 'flags',
    async apply (r, t, pct) { weights.set(`${r}/${t}`, pct) },
    async actual (r, t) { return weights.has(`${r}/${t}`) ? weights.get(`${r}/${t}`) : null },
    async rollback (r, ts, now) { for (const t of ts) weights.set(`${r}/${t}`, 0); return now }
  }
  const a = new sp.RolloutService(URL, { deployer: flags })
  const b = new sp.RolloutService(URL, { deployer: flags })
  await a.create(id, plan(region), CAROL, at(0))
  const out = await b.execute(id, { kind: 'start', actor: CAROL }, at(0))
  assert.deepEqual([out.state, out.deployer], ['running', 'flags'])
  const seen = (await a.rollout(id)).version
  await b.execute(id, { kind: 'pause', actor: OLGA }, at(1))
  await assert.rejects(a.execute(id, { kind: 'resume', actor: OLGA }, at(2), { expectedVersion: seen }), (e) => e.code === 'conflict')
  const rb = await a.execute(id, { kind: 'rollback', actor: OLGA }, at(3), { expectedVersion: seen })
  assert.equal(rb.state, 'rolled_back')
  assert.equal(weights.get(`${id}/${region}`), 0)
  assert.equal((await b.verifyAudit(id)).intact, true)
})

test('eight concurrent writers through two instances: no conflict, one rollback', { skip }, async () => {
  const id = `R-${randomUUID().slice(0, 8)}`
  const region = `us-${randomUUID().slice(0, 8)}`
  const svcs = [new sp.RolloutService(URL, { rollbackSecs: 600 }), new sp.RolloutService(URL, { rollbackSecs: 600 })]
  await svcs[0].create(id, plan(region, 86400), CAROL, at(0))
  await svcs[0].execute(id, { kind: 'start', actor: CAROL }, at(0))
  const writer = async (w) => {
    const svc = svcs[w % 2]
    const out = []
    for (let k = 0; k < 10; k++) {
      let name = 'observe'
      let p
      if (w < 3 && k === 5) {
        name = 'rollback'
        p = svc.execute(id, { kind: 'rollback', actor: OLGA }, at(300), { idempotencyKey: 'inc-42' })
      } else if ((w === 3 || w === 4) && k % 3 === 1) {
        name = 'pause'
        p = svc.execute(id, { kind: 'pause', actor: OLGA }, at(300), { expectedVersion: 1 })
      } else {
        const i = 8 * k + w
        p = svc.observe(id, at(5 * i + 5), window(i), [at(5 * i + 5)], { actor: MONITOR })
      }
      out.push(await p.then((o) => [name, 'ok', o.replayed], (e) => [name, e.code, null]))
    }
    return out
  }
  const results = (await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(writer))).flat()
  assert.equal(results.length, 80)
  assert.deepEqual(results.filter((r) => r[1] === 'conflict' || r[1] === 'storage'), [])
  const rollbacks = results.filter((r) => r[0] === 'rollback')
  assert.deepEqual(rollbacks.map((r) => r[1]), ['ok', 'ok', 'ok'])
  assert.deepEqual(rollbacks.map((r) => r[2]).sort(), [false, true, true])
  const audit = await svcs[1].audit(id)
  assert.equal(audit.filter((e) => e.action === 'rollback' && e.outcome === 'accepted').length, 1)
  assert.equal(results.filter((r) => r[1] !== 'ok').length, audit.filter((e) => e.outcome === 'rejected').length)
})
