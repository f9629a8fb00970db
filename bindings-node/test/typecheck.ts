// Compiled (never run) by `npx tsc -p test/tsconfig.json` in CI: the declarations must let a strict
// TypeScript user read results without casts, and must reject misspelt fields.
import {
  assessReadiness,
  RolloutService,
  rolloutPlan,
  simulate,
  type Actor,
  type CommandOutcome,
  type Deployer,
  type GateReason,
  type RolloutPlan,
  type RolloutProgress,
  costTotals,
  estimate,
  loadCatalog,
  uslFit,
  type CostTotals,
  type DecimalString,
  type ResourceEstimate,
  twoProportions,
  welch,
  type MetricVerdict,
  type ProportionsResult,
  type Readiness,
  type WelchResult,
} from '../index.js'

const r: ProportionsResult = twoProportions({ visitors: 1000, conversions: 100 }, { visitors: 1000, conversions: 120 }, { alpha: 0.05 })
const width: number = r.absoluteCi.hi - r.absoluteCi.lo
const lift: number = r.relativeLift ?? Number.NaN
const w: WelchResult = welch({ n: 50, mean: 10, variance: 4 }, { n: 60, mean: 11, variance: 9 })
const df: number = w.df
const ready: Readiness = assessReadiness('{}', '{}')
const failed: string[] = ready.reasons.filter((x) => !x.passed).map((x) => `${x.rule}: ${x.message}`)
const wins: MetricVerdict[] = ready.verdicts.filter((v) => v.verdict === 'win')
// @ts-expect-error: a misspelt field does not compile
const typo = r.pvalue
const totals: CostTotals = costTotals([{ name: 'compute', quantity: 15, unitPrice: '160.00', kind: 'monthly' }], 'USD')
const firstMonth: DecimalString = totals.firstMonth
const plan: ResourceEstimate = estimate(
  { targetUsers: 50000, instanceType: 'app.large', demand: { users: 1000, peakRpsPerUser: 0.05, cpuSecondsPerRequest: 0.02 } },
  loadCatalog('name = "x"', 'toml'),
)
const instances: number = plan.configuration.sizing.instances
const peak: number | null = uslFit([1, 2, 3], [1, 2, 3]).peakConcurrency
// @ts-expect-error: a line item needs its kind
costTotals([{ name: 'x', quantity: 1, unitPrice: '1.00' }])
async function gate(): Promise<boolean> {
  const svc = new RolloutService(null, { rollbackSecs: 30 })
  const rp: RolloutPlan = rolloutPlan('gradual')
  await svc.create('R-1', rp, { id: 'carol', role: 'operations_manager' }, '2025-06-02T00:00:00Z')
  const out: CommandOutcome = await svc.observe('R-1', '2025-06-02T00:05:00Z', null, [], { actor: { id: 'prom', role: 'monitor' } })
  const why: string[] = (out.decision?.reasons ?? []).map((x: GateReason) => x.code)
  const p: RolloutProgress = await svc.progress('R-1', '2025-06-02T00:05:00Z')
  const back: string = simulate('{}')
  // @ts-expect-error: a decision's traffic is a number
  const bad: string = out.trafficPct
  const ops: Actor = { id: 'olga', role: 'operator' }
  await svc.execute('R-1', { kind: 'rollback', actor: ops, reason: 'errors' }, '2025-06-02T00:06:00Z', { idempotencyKey: 'rb-1' })
  // @ts-expect-error: a misspelt command kind does not compile
  await svc.execute('R-1', { kind: 'rolback', actor: ops }, '2025-06-02T00:06:00Z')
  // @ts-expect-error: an approval needs its target phase
  await svc.execute('R-1', { kind: 'approve', actor: ops, rolloutId: 'R-1', planRevision: 1 }, '2025-06-02T00:06:00Z')
  // @ts-expect-error: a role is one of the six
  const boss: Actor = { id: 'al', role: 'boss' }
  // @ts-expect-error: an observation names its actor
  await svc.observe('R-1', '2025-06-02T00:10:00Z', null, [], {})
  const flags: Deployer = {
    name: 'flags',
    async apply (_rollout: string, _target: string, _pct: number, _now: string) { return null },
    async actual (_rollout: string, _target: string) { return 10 },
    async rollback (_rollout: string, _targets: string[], now: string) { return now },
  }
  const real = new RolloutService(null, { deployer: flags })
  const name: string = real.deployerName
  // @ts-expect-error: a deployer has an actual method
  const broken: Deployer = { apply: () => null, rollback: () => null }
  return why.length > 0 && p.overallPct >= 0 && back.length > 0 && bad.length > 0 && boss.id === name && broken !== null
}
export { width, lift, df, failed, wins, typo, firstMonth, instances, peak, gate }
