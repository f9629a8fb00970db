// Back-test a gating policy on recorded metrics, then run a rollout through the embedded SQLite store.
// Run: bash scripts/node-setup && node examples/node/rollout.mjs
import { createRequire } from 'node:module'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const sp = createRequire(import.meta.url)('../../bindings-node')
const at = (m) => `2025-06-02T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`
const window = (i, errors = 4, p95Ms = 320) => ({ start: at(5 * i), end: at(5 * i + 5), requests: 2000, errors, p95Ms })

// 1. Back-test (the replay JSON is snake_case, the same bytes in every language)
const recorded = Array.from({ length: 24 }, (_, i) => {
  const { p95Ms, ...w } = window(i, 4, i === 7 ? 420 : 320)
  return { ...w, p95_ms: p95Ms }
})
const replay = {
  plan: { phases: [{ traffic_pct: 10, min_duration_secs: 7200 }, { traffic_pct: 100, min_duration_secs: 86400 }] },
  policy: { p95_limit_ms: 400 },
  start: { phase: 1, attempt_start: at(0), state: 'running' },
  until: at(120),
  windows: recorded,
  events: recorded.map((w) => w.end)
}
const out = JSON.parse(sp.simulate(JSON.stringify(replay)))
for (const d of out.decisions.filter((d) => d.decision !== 'hold')) console.log(d.at, d.decision, d.reasons.map((r) => r.code))
console.log('final:', out.final.state, 'at', out.final.traffic_pct, '%')

// 2. Live, with Promises (store calls run off the event loop)
const carol = { id: 'carol', role: 'operations_manager' }
const monitor = { id: 'prometheus-bridge', role: 'monitor' }
const svc = new sp.RolloutService(join(mkdtempSync(join(tmpdir(), 'scaleplan-')), 'rollouts.db'), { rollbackSecs: 40 })
const plan = sp.rolloutPlan('custom', { phases: [{ trafficPct: 10, minDurationSecs: 900 }, { trafficPct: 100, minDurationSecs: 900 }] })
await svc.create('R-7', plan, carol, at(0))
await svc.execute('R-7', { kind: 'start', actor: carol }, at(0), { idempotencyKey: 'start-R-7' })
for (let i = 0; i < 6; i++) {
  const res = await svc.observe('R-7', at(5 * i + 5), window(i, i === 4 ? 100 : 4), [at(5 * i + 5)], { actor: monitor })
  console.log(res.decision.at, res.decision.decision, `traffic ${res.trafficPct}%`, res.state)
  if (res.state === 'rolled_back') {
    console.log(`rollback confirmed by the ${res.deployer} platform in ${res.rollback.durationSecs} s (objective met: ${res.rollback.slaMet})`)
    break
  }
}
await svc.execute('R-7', { kind: 'resume', actor: { id: 'olga', role: 'operator' } }, at(40))
  .catch((e) => console.log(`refused [${e.code}]: ${e.message}`))
console.log('audit chain:', await svc.verifyAudit('R-7'))
