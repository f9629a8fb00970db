// A user-written deployer with async methods that call a local HTTP feature-flag stub (started here):
// every call names the rollout; a platform outage is the typed `deploy` error, recorded in the audit and
// decision logs and retried on the next call; a rollback is confirmed only by the platform; Promise
// methods reject and never throw; the event loop keeps turning while the service waits on the deployer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const sp = createRequire(import.meta.url)('..')
const at = (m) => `2025-06-02T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`
const CAROL = { id: 'carol', role: 'operations_manager' }
const OLGA = { id: 'olga', role: 'operator' }
const PLAN = sp.rolloutPlan('custom', { phases: [{ trafficPct: 10, minDurationSecs: 900 }, { trafficPct: 100, minDurationSecs: 900 }] })

// The flag service: GET/PUT /flags/<rollout>/<target>; `down` answers 503.
function flagServer () {
  const flags = new Map()
  const state = { down: false, flags }
  const server = createServer((req, res) => {
    if (state.down) { res.writeHead(503).end('maintenance'); return }
    const key = decodeURIComponent(req.url.replace('/flags/', ''))
    if (req.method === 'PUT') {
      let body = ''
      req.on('data', (c) => { body += c })
      req.on('end', () => { flags.set(key, JSON.parse(body).pct); res.writeHead(204).end() })
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pct: flags.has(key) ? flags.get(key) : null }))
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ state, server, port: server.address().port })))
}

function httpDeployer (port) {
  const url = (rollout, target) => `http://127.0.0.1:${port}/flags/${encodeURIComponent(`${rollout}/${target}`)}`
  const check = (res) => { if (!res.ok) throw new Error(`flag service answered ${res.status}`) }
  return {
    name: 'flag-service',
    async apply (rollout, target, pct) {
      check(await fetch(url(rollout, target), { method: 'PUT', body: JSON.stringify({ pct }) }))
    },
    async actual (rollout, target) {
      const res = await fetch(url(rollout, target))
      check(res)
      return (await res.json()).pct
    },
    async rollback (rollout, targets) {
      for (const t of targets) check(await fetch(url(rollout, t), { method: 'PUT', body: JSON.stringify({ pct: 0 }) }))
      return null // the platform confirms later (its webhook calls confirm_rollback)
    }
  }
}

test('an async HTTP deployer drives the rollout; an outage is recorded, retried, never confirmed', async () => {
  const { state, server, port } = await flagServer()
  try {
    const svc = new sp.RolloutService(null, { deployer: httpDeployer(port) })
    assert.equal(svc.deployerName, 'flag-service')
    await svc.create('R-1', PLAN, CAROL, at(0))
    const out = await svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0))
    assert.equal(out.deployer, 'flag-service')
    assert.equal(state.flags.get('R-1/all'), 10)
    state.down = true
    await assert.rejects(svc.execute('R-1', { kind: 'rollback', actor: OLGA }, at(1), { idempotencyKey: 'rb' }),
      (e) => e.code === 'deploy' && /503/.test(e.message))
    const p = await svc.progress('R-1', at(2))
    assert.deepEqual([p.state, p.targets[0].status, p.targets[0].trafficPct], ['rolling_back', 'rolling_back', 10])
    assert.deepEqual(p.alerts.map((a) => a.code), ['deploy_failed'])
    const failed = (await svc.audit('R-1')).filter((e) => e.kind === 'deploy')
    assert.equal(failed[0].outcome, 'failed')
    assert.equal((await svc.decisions('R-1')).at(-1).decision, 'deploy_failed')
    state.down = false
    const r = await svc.reconcile('R-1', at(3))
    assert.equal(r.status, 'rolling_back') // 0 % applied, not yet confirmed by the platform
    assert.equal(state.flags.get('R-1/all'), 0)
    await svc.execute('R-1', { kind: 'confirm_rollback' }, at(4))
    const done = await svc.rollout('R-1')
    assert.equal(done.status, 'rolled_back')
    assert.equal(done.rollback.durationSecs, 180)
    assert.equal((await svc.verifyAudit('R-1')).intact, true)
  } finally {
    server.close()
  }
})

test('the event loop turns while a deployer call is awaited', async () => {
  let release
  const gate = new Promise((resolve) => { release = resolve })
  const slow = { name: 'slow', apply: () => gate, actual: () => null, rollback: () => null }
  const svc = new sp.RolloutService(null, { deployer: slow })
  await svc.create('R-1', PLAN, CAROL, at(0))
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  const started = svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0))
  let ticks = 0
  await new Promise((resolve) => { const i = setInterval(() => { if (++ticks === 20) { clearInterval(i); resolve() } }, 1) })
  release()
  assert.equal((await started).state, 'running')
  h.disable()
  assert.equal(ticks, 20)
})

test('Promise methods reject, never throw; a deployer without its methods is a typed error', async () => {
  const svc = new sp.RolloutService()
  const p = svc.execute(42, 'not a command', null)
  assert.ok(p instanceof Promise)
  await assert.rejects(p, (e) => e.code === 'wrong_type')
  await assert.rejects(svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0), { expectedVersion: -1 }), (e) => e.code === 'unknown_rollout' || e.code === 'negative')
  await svc.create('R-1', PLAN, CAROL, at(0))
  await assert.rejects(svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0), { expectedVersion: -1 }), (e) => e.code === 'negative')
  await assert.rejects(svc.execute('R-1', { kind: 'start', actor: CAROL }, at(0), { expectedVersion: Number.NaN }), (e) => e.code === 'wrong_type' || e.code === 'not_finite')
  await assert.rejects(svc.observe('R-1', at(5), null, []), (e) => e.code === 'invalid_actor')
  assert.throws(() => new sp.RolloutService(null, { deployer: { apply () {} } }), (e) => e.code === 'wrong_type')
  await assert.rejects(svc.deployedTraffic('R-1', 'all').then((v) => assert.equal(v, null)).then(() => { throw Object.assign(new Error('ok'), { code: 'ok' }) }), (e) => e.code === 'ok')
})

test('targets belong to one active rollout', async () => {
  const svc = new sp.RolloutService()
  for (const id of ['A', 'B']) await svc.create(id, PLAN, CAROL, at(0))
  await svc.execute('A', { kind: 'start', actor: CAROL }, at(0))
  await assert.rejects(svc.execute('B', { kind: 'start', actor: CAROL }, at(0)), (e) => e.code === 'target_held' && /`A`/.test(e.message))
})
