// Dashboard reads at scale through the Node binding: two RolloutService instances (as two app servers)
// on one store answer `progress` at a target rate while estimates run beside them (estimateAsync, off the
// event loop). Reports the achieved read rate, the latency p50 / p99 of a read, and the event loop's
// delay p99 (perf_hooks.monitorEventLoopDelay), all from one run. Targets (issue 17): 1,000 reads/s,
// read p99 under 20 ms, event-loop delay p99 under 5 ms.
//
// Run: node benches/compare/node_progress.mjs [postgresql://... | file.db] [--seconds 5] [--rate 1000] [--check]
//   (a release build gives the meaningful figures: NAPI_FLAGS=--release bash scripts/node-setup)
import { createRequire } from 'node:module'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'

const sp = createRequire(import.meta.url)('../../bindings-node')
const args = process.argv.slice(2)
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt }
const seconds = opt('--seconds', 5)
const rate = opt('--rate', 1000)
const check = args.includes('--check')
const location = args.find((a) => !a.startsWith('--') && Number.isNaN(Number(a))) ??
  join(mkdtempSync(join(tmpdir(), 'scaleplan-')), 'rollouts.db')

const at = (m) => new Date(Date.UTC(2025, 5, 2) + m * 60000).toISOString().replace('.000', '')
const carol = { id: 'carol', role: 'operations_manager' }
const monitor = { id: 'prometheus-bridge', role: 'monitor' }
const instances = [new sp.RolloutService(location), new sp.RolloutService(location)]
const id = `dash-${randomUUID().slice(0, 8)}`
const plan = sp.rolloutPlan('custom', { scope: { kind: 'regions', regions: [`r-${id}`] }, phases: [{ trafficPct: 10, minDurationSecs: 86400 }, { trafficPct: 100, minDurationSecs: 86400 }] })
await instances[0].create(id, plan, carol, at(0))
await instances[0].execute(id, { kind: 'start', actor: carol }, at(0))
for (let i = 0; i < 288; i++) { // a day of history
  await instances[i % 2].observe(id, at(5 * i + 5), { start: at(5 * i), end: at(5 * i + 5), requests: 2000, errors: 4, p95Ms: 320 }, [at(5 * i + 5)], { actor: monitor })
}

const cat = { name: 'bench', currency: 'USD', hoursPerMonth: '730', instances: [{ name: 'app', vcpu: 2, memoryGib: 8, hourly: '0.20' }] }
const req = { targetUsers: 50000, instanceType: 'app', demand: { users: 1000, peakRpsPerUser: 0.0042, cpuSecondsPerRequest: 0.1 } }
let estimates = 0
let running = true
const estimating = (async () => { while (running) { await sp.estimateAsync(req, cat); estimates++ } })()

const h = monitorEventLoopDelay({ resolution: 1 })
h.enable()
const latencies = []
const pending = []
const start = performance.now()
const perTick = Math.max(1, Math.round(rate / 100)) // 100 batches a second
let sent = 0
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const elapsed = (performance.now() - start) / 1000
    if (elapsed >= seconds) { clearInterval(timer); resolve(); return }
    const due = Math.floor(elapsed * rate) - sent
    for (let k = 0; k < Math.min(due, 4 * perTick); k++) {
      const t0 = performance.now()
      pending.push(instances[sent % 2].progress(id, at(2000)).then(() => latencies.push(performance.now() - t0)))
      sent++
    }
  }, 10)
})
await Promise.all(pending)
const wall = (performance.now() - start) / 1000
h.disable()
running = false
await estimating
latencies.sort((a, b) => a - b)
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]
const result = {
  store: location.startsWith('postgres') ? 'postgresql' : 'sqlite',
  reads: latencies.length,
  reads_per_sec: latencies.length / wall,
  read_p50_ms: q(0.5),
  read_p99_ms: q(0.99),
  loop_delay_p99_ms: h.percentile(99) / 1e6,
  estimates_during: estimates
}
console.log(JSON.stringify(result, null, 1))
if (check) {
  const bad = []
  if (result.reads_per_sec < 0.95 * rate) bad.push(`read rate ${result.reads_per_sec.toFixed(0)}/s under ${rate}/s`)
  if (result.read_p99_ms >= 20) bad.push(`read p99 ${result.read_p99_ms.toFixed(1)} ms`)
  if (result.loop_delay_p99_ms >= 5) bad.push(`event-loop delay p99 ${result.loop_delay_p99_ms.toFixed(1)} ms`)
  if (bad.length) { console.error('targets missed:', bad.join('; ')); process.exit(1) }
}
