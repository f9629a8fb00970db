// A rollout driving a user-written platform from two service instances on one database: the deployer
// is an object with async methods that call a local HTTP feature-flag stub this example starts itself.
// The store is PostgreSQL when a URL is given (argument or SCALEPLAN_PG_URL), else a SQLite file. The
// flag service goes down in the middle: the rollback is still recorded, the failure is audited, and the
// next call after the platform returns re-applies it; the rollback counts as confirmed only when the
// platform says so.
//
// Run: bash scripts/node-setup && node examples/node/rollout_platform.mjs [postgresql://user@host/db]
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'

const sp = createRequire(import.meta.url)('../../bindings-node')
const at = (m) => `2025-06-02T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`

// The flag service: GET/PUT /flags/<rollout>/<target>; 503 while down.
const flags = new Map()
let down = false
const server = createServer((req, res) => {
  if (down) return res.writeHead(503).end()
  const key = decodeURIComponent(req.url.slice('/flags/'.length))
  if (req.method === 'PUT') {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => { flags.set(key, JSON.parse(body).pct); res.writeHead(204).end() })
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pct: flags.get(key) ?? null }))
  }
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${server.address().port}/flags/`
const ok = (res) => { if (!res.ok) throw new Error(`flag service answered ${res.status}`); return res }

const deployer = {
  name: 'flag-service',
  async apply (rollout, target, pct) {
    ok(await fetch(base + encodeURIComponent(`${rollout}/${target}`), { method: 'PUT', body: JSON.stringify({ pct }) }))
  },
  async actual (rollout, target) {
    return (await ok(await fetch(base + encodeURIComponent(`${rollout}/${target}`))).json()).pct
  },
  async rollback (rollout, targets) {
    for (const t of targets) await this.apply(rollout, t, 0)
    return null // confirmed later by the platform's webhook (confirm_rollback below)
  }
}

const location = process.argv[2] ?? process.env.SCALEPLAN_PG_URL ?? join(mkdtempSync(join(tmpdir(), 'scaleplan-')), 'rollouts.db')
console.log('store:', location.startsWith('postgres') ? 'PostgreSQL' : 'SQLite file')
const a = new sp.RolloutService(location, { deployer })
const b = new sp.RolloutService(location, { deployer })
const id = `checkout-v2-${randomUUID().slice(0, 6)}`
const region = `eu-west-${randomUUID().slice(0, 6)}`
const carol = { id: 'carol', role: 'operations_manager' }
const olga = { id: 'olga', role: 'operator' }
const monitor = { id: 'prometheus-bridge', role: 'monitor' }
const plan = sp.rolloutPlan('custom', { scope: { kind: 'regions', regions: [region] }, phases: [{ trafficPct: 10, minDurationSecs: 900 }, { trafficPct: 100, minDurationSecs: 900 }] })
await a.create(id, plan, carol, at(0))
const started = await b.execute(id, { kind: 'start', actor: carol }, at(0), { expectedVersion: 0, idempotencyKey: 'start' })
console.log(`instance B started ${id}: ${started.trafficPct}% on ${region} (${started.deployer}), flag = ${flags.get(`${id}/${region}`)}`)
const tick = await a.observe(id, at(5), { start: at(0), end: at(5), requests: 2000, errors: 4, p95Ms: 320 }, [at(5)], { actor: monitor })
console.log('instance A tick:', tick.decision.decision)

down = true
await b.execute(id, { kind: 'rollback', actor: olga, reason: 'checkout errors' }, at(6), { idempotencyKey: 'rb-1' })
  .catch((e) => console.log(`instance B rollback during the outage: [${e.code}] ${e.message}`))
const p = await a.progress(id, at(7))
console.log(`dashboard: ${p.state}, ${p.targets[0].name} at ${p.targets[0].trafficPct}% (not confirmed), alerts ${p.alerts.map((x) => x.code)}`)

down = false
const r = await a.reconcile(id, at(8))
console.log(`instance A reconciled: ${r.status}, flag = ${flags.get(`${id}/${region}`)}`)
await b.execute(id, { kind: 'confirm_rollback' }, at(9)) // the platform's webhook
const rb = (await a.rollout(id)).rollback
console.log(`confirmed ${rb.durationSecs} s after the decision (objective met: ${rb.slaMet})`)
for (const e of await b.audit(id)) console.log(`  audit ${String(e.seq).padStart(2)} ${e.actorId.padEnd(17)} ${e.action.padEnd(16)} ${e.outcome.padEnd(8)} ${e.reason ?? ''}`)
console.log('audit chain:', await b.verifyAudit(id))
server.close()
