/* Result types of scaleplan (hand-written; prepended to the generated index.d.ts by napi's
   `dtsHeaderFile`). They mirror the core's canonical JSON with camelCase keys; test/types.test.mjs
   checks every interface's keys against real results. */

/** A confidence interval `[lo, hi]`. */
export interface Interval { lo: number; hi: number }

/** `"two-sided"`, `"less"` or `"greater"` (scipy's names). */
export type Alternative = 'two-sided' | 'less' | 'greater'

/** Result of `twoProportions`. */
export interface ProportionsResult {
  controlRate: number
  treatmentRate: number
  /** z statistic with the pooled standard error. */
  z: number
  pValue: number
  /** `treatmentRate - controlRate`. */
  absoluteEffect: number
  /** Wald interval (unpooled standard error). */
  absoluteCi: Interval
  /** `treatmentRate / controlRate - 1`; null when the control rate is 0. */
  relativeLift: number | null
  /** Delta-method interval; null when the control rate is 0. */
  relativeCi: Interval | null
  alpha: number
  alternative: Alternative
}

/** Result of `welch` (and the two halves of a CUPED result). */
export interface WelchResult {
  controlMean: number
  treatmentMean: number
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  pValue: number
  absoluteEffect: number
  absoluteCi: Interval
  relativeLift: number | null
  relativeCi: Interval | null
  alpha: number
  alternative: Alternative
}

/** Per-arm sums for a ratio metric, snake_case as in the canonical JSON. */
export interface RatioArm { n: number; sum_x: number; sum_y: number; sum_x2: number; sum_y2: number; sum_xy: number }

/** Result of `ratio`. */
export interface RatioResult {
  controlRatio: number
  treatmentRatio: number
  z: number
  pValue: number
  absoluteEffect: number
  absoluteCi: Interval
  relativeLift: number | null
  relativeCi: Interval | null
  alpha: number
  alternative: Alternative
}

/** One CUPED arm, snake_case as in the canonical JSON. */
export interface CupedArm {
  n: number
  mean: number
  variance: number
  covariate_mean: number
  covariate_variance: number
  covariance: number
}

/** Result of `cuped`. */
export interface CupedResult {
  /** The pooled regression coefficient of the metric on the covariate. */
  theta: number
  /** Share of the variance removed, in [0, 1]. */
  varianceReduction: number
  adjusted: WelchResult
  unadjusted: WelchResult
}

/** Result of `srm`. */
export interface SrmResult {
  chi2: number
  df: number
  pValue: number
  /** Expected counts under the configured split. */
  expected: number[]
  threshold: number
  mismatch: boolean
}

/** Result of `sequential`. */
export interface SequentialResult {
  estimate: number
  stdError: number
  /** Always-valid p-value. */
  pValue: number
  confidenceSequence: Interval
  logLikelihoodRatio: number
  mixingVariance: number
  significant: boolean
}

/** Prior of `betaBinomial`. */
export interface BetaPrior { alpha: number; beta: number }

/** Result of `betaBinomial`. */
export interface BetaBinomialResult {
  chanceToBeatControl: number
  expectedLossControl: number
  expectedLossTreatment: number
  differenceMean: number
  differenceSd: number
}

/** One rule of a readiness decision, with its evidence. */
export interface ReadinessReason {
  rule: 'sample_ratio' | 'min_sample' | 'min_runtime' | 'primary_metric' | 'guardrail'
  passed: boolean
  metric: string | null
  observed: number
  threshold: number
  message: string
}

/** One metric's verdict in a readiness decision. */
export interface MetricVerdict {
  metric: string
  role: 'primary' | 'secondary' | 'guardrail'
  direction: 'increase' | 'decrease'
  controlValue: number
  treatmentValue: number
  absoluteEffect: number
  absoluteCi: Interval
  relativeLift: number | null
  relativeCi: Interval | null
  pValue: number
  adjustedPValue: number | null
  verdict: 'win' | 'loss' | 'inconclusive' | 'pass' | 'regressed' | 'unproven'
}

/** Result of `assessReadiness`: the "ready to scale" flag and why. */
export interface Readiness {
  experiment: string
  ready: boolean
  reasons: ReadinessReason[]
  verdicts: MetricVerdict[]
  srm: SrmResult | null
}


/* ---- resource estimation: money is a DecimalString ("160.00"), never a float ---- */

/** An exact decimal amount written as a string, e.g. `"2400.00"`. Inputs also accept whole numbers. */
export type DecimalString = string

/** `"service_level_at_least"`, `"p_wait_at_most"` or `"wait_percentile_at_most"`. */
export type ServerCriterion = 'service_level_at_least' | 'p_wait_at_most' | 'wait_percentile_at_most'

/** A line of a cost breakdown (input of `costTotals`). */
export interface LineItem { name: string; quantity: DecimalString | number; unitPrice: DecimalString | number; kind: 'monthly' | 'one_time' }

/** A line's total, rounded half-even to the currency's minor unit. */
export interface LineTotal { name: string; kind: 'monthly' | 'one_time'; total: DecimalString }

/** Result of `costTotals` (and the totals of an estimate). */
export interface CostTotals {
  currency: string
  lineTotals: LineTotal[]
  oneTime: DecimalString
  monthly: DecimalString
  firstMonth: DecimalString
  /** `oneTime + 12 × monthly`. */
  firstYear: DecimalString
}

/** A pod for the HPA rule; `usageMilli` null when its metric is missing. */
export interface Pod { state: 'ready' | 'unready' | 'ignored'; requestMilli: number; usageMilli: number | null }

/** Result of `hpaDesiredReplicas`. */
export interface HpaRecommendation { desiredReplicas: number; utilizationPercent: number; usageRatio: number; reason: string }

/** HPA bounds and behaviour (Kubernetes' defaults for omitted rules). */
export interface HpaBehavior { minReplicas?: number; maxReplicas: number; scaleUp?: object; scaleDown?: object }

/** The history an HPA keeps between syncs. */
export interface HpaState { recommendations: Array<{ time: number; replicas: number }>; scaleUpEvents: Array<{ time: number; change: number }>; scaleDownEvents: Array<{ time: number; change: number }> }

/** One HPA sync's outcome. */
export interface BehaviorDecision { replicas: number; recommended: number; stabilized: number; limit: 'DesiredWithinRange' | 'ScaleUpLimit' | 'ScaleDownLimit' | 'TooManyReplicas' | 'TooFewReplicas'; reason: string }

/** Result of `hpaScale`. */
export interface HpaScaleResult { decision: BehaviorDecision; state: HpaState }

/** A validated price catalog (result of `loadCatalog`). */
export interface PriceCatalog {
  name: string
  note: string
  currency: string
  hoursPerMonth: DecimalString
  instances: Array<{ name: string; vcpu: number; memoryGib: number; hourly: DecimalString }>
  storage: Array<{ name: string; perGbMonth: DecimalString }>
  bandwidth: Array<{ name: string; perGb: DecimalString }>
  databases: Array<{ name: string; vcpu: number; memoryGib: number; maxConnections: number; monthly: DecimalString }>
  caches: Array<{ name: string; memoryGib: number; monthly: DecimalString }>
  teamRates: Array<{ role: string; hourly: DecimalString }>
}

/** Demand measured at the experiment's original scope. */
export interface DemandProfile {
  users: number
  peakRpsPerUser: number
  cpuSecondsPerRequest: number
  memoryGibPerInstance?: number
  storageGbPerUserMonth?: number
  bandwidthGbPerUserMonth?: number
  peakToAverage?: number
  dbConnectionsPerInstance?: number
  cacheGibPerUser?: number
  uncertainty?: number
}

/** A relative change with its interval. */
export interface LiftRange { low: number; expected: number; high: number }

/** Input of `estimate`. */
export interface EstimateRequest {
  targetUsers: number
  demand: DemandProfile
  instanceType: string
  currentInstances?: number
  /** `{ model: 'linear' | 'usl' | 'queueing', ... }`. */
  model?: object
  storage?: string | null
  storageMonths?: number
  bandwidth?: string | null
  database?: { current?: string | null; target?: string | null } | null
  cache?: { current?: string | null; target?: string | null } | null
  maxTierUtilization?: number
  teamHours?: Array<{ role: string; hours: DecimalString | number }>
  lift?: LiftRange | null
}

/** Instances one model needs. */
export interface Sizing { peakRps: number; instances: number; offPeakInstances: number; peakUtilization: number; detail: { model: 'linear' | 'usl' | 'queueing'; [k: string]: unknown } }

/** The configuration serving a number of users. */
export interface Configuration { users: number; demandFactor: number; instanceType: string; sizing: Sizing; databaseTier: string | null; cacheTier: string | null; storageGb: number; bandwidthGb: number }

/** One scenario's cost. */
export interface ScenarioCost { demandFactor: number; instances: number; totals: CostTotals }

/** Result of `estimate`. */
export interface ResourceEstimate {
  currency: string
  originalUsers: number
  targetUsers: number
  configuration: Configuration
  lineItems: Array<{ name: string; quantity: DecimalString; unitPrice: DecimalString; kind: 'monthly' | 'one_time' }>
  totals: CostTotals
  range: { low: ScenarioCost; expected: ScenarioCost; high: ScenarioCost }
  assumptions: string[]
  warnings: string[]
}

/** A point on a growth path. */
export interface Milestone { label: string; users: number }

/** Result of `capacityMilestones` (one per milestone). */
export interface MilestonePlan { label: string; configuration: Configuration; totals: CostTotals }

/** Input of `impact`. */
export interface ImpactInput { users: number; baselineRate: number; lift: LiftRange; valuePerConversion: DecimalString | number; currency: string; opportunitiesPerUserPerYear?: number }

/** One scenario of an impact. */
export interface ImpactScenario { lift: number; extraConversions: number; annualValue: DecimalString }

/** Result of `impact`. */
export interface Impact { currency: string; low: ImpactScenario; expected: ImpactScenario; high: ImpactScenario; assumptions: string[] }

/** A recommended move between growth phases. */
export interface PhaseTransition { from: string; to: string; boundary: number; threshold: number; reason: string }

/** Result of `growthPhase`. */
export interface PhaseRecommendation { phase: string; transition: PhaseTransition | null }

/** Input of `scalingTriggers`. */
export interface TriggerInput { now: number; cpuPercent?: Array<{ time: number; value: number }>; dbConnections?: number | null; dbMaxConnections?: number | null; p95Ms?: number | null; p99Ms?: number | null; instances: number; instanceMonthlyPrice?: DecimalString | null; currency?: string }

/** What a trigger rule saw. */
export interface Evidence { metric: string; windowSeconds: number; observed: number; threshold: number; comparison: string }

/** One trigger recommendation. */
export interface TriggerRecommendation { action: 'scale_up' | 'downsize'; rule: string; reason: string; evidence: Evidence; suggestedInstances: number | null; monthlySaving: DecimalString | null }

/** Result of `scalingTriggers`. */
export interface TriggerReport { recommendations: TriggerRecommendation[]; insufficientData: string[] }

/** A percentage with at most two decimals (10, 12.5). */
export type Percent = number
/** An RFC 3339 UTC time with whole seconds, e.g. `"2025-06-02T00:05:00Z"`. */
export type Rfc3339 = string
/** A rollout state. */
export type RolloutStatus = 'ready' | 'running' | 'paused_manual' | 'paused_incident' | 'paused_latency_spike' | 'paused_reverted' | 'paused_reverted_to_baseline' | 'rolling_back' | 'rolled_back' | 'completed'

/** One phase of a plan (a phase may also carry `gate` threshold overrides). */
export interface PhaseSpec { trafficPct: Percent; minDurationSecs: number; requiresApproval: boolean }

/** A validated rollout plan (`rolloutPlan`, `validatePlan`). */
export interface RolloutPlan {
  revision: number
  strategy: 'immediate' | 'gradual' | 'custom'
  phases: PhaseSpec[]
  scope: { kind: 'all_regions' } | { kind: 'regions'; regions: string[] } | { kind: 'teams'; teams: string[] }
  waves: 'sequential' | 'parallel'
  targetUsers: number | null
  monthlyCost: { amount: DecimalString; currency: string } | null
}

/** Why a decision was taken or what stands in the way: a `code` (the policy spec's reason table) and its evidence. */
export interface GateReason { code: string; [field: string]: unknown }

/** One entry of the decision log (one per tick, and one per platform failure: `deploy_failed`). */
export interface RolloutDecision {
  at: Rfc3339
  decision: 'hold' | 'advance' | 'pause' | 'resume' | 'revert_to_previous_phase' | 'rollback' | 'complete' | 'deploy_failed'
  phase: number
  trafficPct: Percent
  state: RolloutStatus
  version: number
  reasons: GateReason[]
}

/** Timing of a rollback against the rollback objective; `from`: the traffic per target when it was decided. */
export interface RollbackRecord { decidedAt: Rfc3339; confirmedAt: Rfc3339 | null; durationSecs: number | null; slaMet: boolean | null; from?: { target: string; trafficPct: Percent }[] }

/** Who may do what: `viewer < monitor < operator < operations_manager < approver < admin`. */
export type Role = 'viewer' | 'monitor' | 'operator' | 'operations_manager' | 'approver' | 'admin'

/** A person or system issuing a command. Ids are compared trimmed and lower-cased. */
export interface Actor { id: string; role: Role }

/** One metric window (5-minute, wall-clock aligned by default). */
export interface RolloutWindow {
  start: Rfc3339
  end: Rfc3339
  requests: number
  errors: number
  p95Ms: number | null
  controlRequests?: number
  controlErrors?: number
}

/** An incident; blocking iff its severity is one of the policy's `blockingSeverities`. */
export interface RolloutIncident { id: string; severity: string; openedAt: Rfc3339; resolvedAt: Rfc3339 | null }

/** A plan as `create` accepts it (the output of `rolloutPlan`, or its JSON text). */
export type RolloutPlanInput = RolloutPlan | { strategy: 'immediate' | 'gradual' | 'custom'; phases: Array<{ trafficPct: Percent; minDurationSecs: number; requiresApproval?: boolean }>; scope?: RolloutPlan['scope']; waves?: 'sequential' | 'parallel'; targetUsers?: number | null; monthlyCost?: { amount: DecimalString; currency: string } | null }

/** A command for `RolloutService.execute`: a misspelt `kind` or a missing field fails `tsc --strict`. */
export type RolloutCommand =
  | { kind: 'start'; actor: Actor }
  | { kind: 'pause'; actor: Actor; reason?: string | null }
  | { kind: 'resume'; actor: Actor }
  | { kind: 'rollback'; actor: Actor; reason?: string | null }
  | { kind: 'abort'; actor: Actor; reason?: string | null }
  | { kind: 'approve'; actor: Actor; rolloutId: string; planRevision: number; targetPhase: number }
  | { kind: 'observe'; actor: Actor; window?: RolloutWindow | null; events?: Rfc3339[] }
  | { kind: 'confirm_rollback' }

/** Options of `execute`. `expectedVersion` applies to start, resume, approve and observe (pause, rollback
 * and abort are re-applied against the latest state). */
export interface CommandOptions { expectedVersion?: number; idempotencyKey?: string }

/** Options of `observe`: who sends the evidence (monitor or above). */
export interface ObserveOptions { actor: Actor; idempotencyKey?: string }

/** A platform failure the service recorded, until a deploy succeeds. */
export interface PlatformError { deployer: string; since: Rfc3339; at: Rfc3339; attempts: number; message: string }

/**
 * The platform a `RolloutService` drives (a feature-flag service, a mesh, a load balancer). Methods
 * return values or Promises and run on the event loop (the service waits on them from its worker
 * threads); a rejection or a thrown error is the `deploy` error, recorded and retried on the next call.
 * Calls repeat after failures: make them idempotent.
 */
export interface Deployer {
  /** How outcomes and the dashboard name the platform. */
  name?: string
  /** Sets the rollout's share of traffic (percent) on `target`. */
  apply(rolloutId: string, target: string, trafficPct: Percent, now: Rfc3339): unknown | Promise<unknown>
  /** The traffic (percent) the platform reports for the rollout on `target`; null: never deployed. */
  actual(rolloutId: string, target: string): Percent | null | Promise<Percent | null>
  /** Moves the rollout to 0 % everywhere; the time the platform confirmed 0 % (or null: confirmed later). */
  rollback(rolloutId: string, targets: string[], now: Rfc3339): Rfc3339 | Date | null | Promise<Rfc3339 | Date | null>
}

/** Options of `new RolloutService(path, options)`. */
export interface RolloutServiceOptions {
  /** The host's platform; without one, a simulated platform (named `simulated` in every output). */
  deployer?: Deployer
  /** The simulator's rollback confirmation delay, seconds (default 60). */
  rollbackSecs?: number
  /** Plans above these (or not stating their size) need an approval from someone else to start. */
  approvalThresholds?: { maxUsers?: number | null; maxMonthlyCost?: { amount: DecimalString; currency: string } | null }
  /** The host's secret (16 bytes or more): the audit log is HMAC-chained and each rollout's row sealed. */
  auditKey?: string
}

/** What a `RolloutService` command or tick did. */
export interface CommandOutcome {
  rolloutId: string
  command: string
  version: number
  state: RolloutStatus
  phase: number
  trafficPct: Percent
  decision: RolloutDecision | null
  rollback: RollbackRecord | null
  /** True when returned for a repeated idempotency key (nothing applied). */
  replayed: boolean
  /** The platform the service drives (`simulated` for the simulator). */
  deployer: string
  /** Set when an accepted pause or rollback changed nothing: why. */
  noOp?: string
}

/** One target's line on the dashboard. */
export interface TargetProgress { name: string; status: 'complete' | 'in_progress' | 'pending' | 'rolling_back' | 'rolled_back'; trafficPct: Percent }

/** The dashboard view of a rollout. */
export interface RolloutProgress {
  rolloutId: string
  state: RolloutStatus
  phase: number
  phases: number
  wave: number
  overallPct: number
  targets: TargetProgress[]
  health: { windowEnd: Rfc3339; requests: number; errors: number; errorRatePct: number; p95Ms: number | null } | null
  startedAt: Rfc3339 | null
  remainingMinSecs: number | null
  eta: Rfc3339 | null
  /** The platform the service drives. */
  deployer?: string
  /** The platform's last failure, while it lasts. */
  platformError?: PlatformError
  /** `rollback_overdue`, `rollback_sla_breached`, `deploy_failed`. */
  alerts: { code: 'rollback_overdue' | 'rollback_sla_breached' | 'deploy_failed'; at: Rfc3339; message: string }[]
}

/** A hash-chained audit event (`hash`: `sha256:<hex>`, or `hmac-sha256:<hex>` in a keyed store). */
export interface AuditEvent {
  seq: number
  /** The rollout whose log this is (inside the hashed content). */
  rolloutId?: string
  at: Rfc3339
  actorId: string
  kind: 'transition' | 'command' | 'deploy'
  action: string
  outcome: 'accepted' | 'rejected' | 'failed'
  error: string | null
  before: { phase: number; state: RolloutStatus }
  after: { phase: number; state: RolloutStatus }
  reason: string | null
  prevHash: string
  hash: string
}

/** The result of `verifyAudit`. */
export interface ChainCheck { intact: boolean; events: number; brokenAt: number | null; problem: string | null }

/** How `detect` placed the points on the grid: sorted (`outOfOrder` counted), combined (`aggregated` points, by `aggregate`), calendar steps. */
export interface Ingest {
  grid: 'index' | 'seconds' | 'month' | 'quarter'
  outOfOrder: number
  aggregated: number
  aggregate: 'mean' | 'sum' | 'max' | 'last'
  periods: number
}

/** One anomaly, however many periods it lasts (`detect`, `DetectorStream`). */
export interface Alert {
  id: number
  kind: 'spike' | 'drop' | 'threshold'
  detector: string
  time: number
  end: number
  peakTime: number
  startIndex: number
  endIndex: number
  observed: number
  expected: number | null
  score: number
  severity: 'warning' | 'critical'
  points: number
  ongoing: boolean
  reason: string
}

/** A change to an alert, as a stream reports it. */
export interface AlertEvent { event: 'opened' | 'updated' | 'closed'; alert: Alert }

/** The result of `regression`. */
export interface Regression {
  regressed: boolean
  percentiles: { percentile: number; baseline: number; current: number; change: number; degraded: boolean }[]
  u: number
  pValue: number
  effect: number
  reason: string
}

/** The result of `growthRate`. */
export interface GrowthRate {
  rate: number
  ci: [number, number]
  confidence: number
  confidenceLabel: 'high' | 'medium' | 'low'
  periods: number
  projections: { periods: number; value: number; lower: number; upper: number }[]
  reason: string
}

/** The result of `exhaustion`: periods are 1-based, null when not within the horizon. */
export interface Exhaustion {
  capacity: number
  period: number | null
  upperPeriod: number | null
  alreadyExceeded: boolean
  forecast: { model: string; mean: number[]; lower: number[]; upper: number[]; level: number; notes: string[] }
  reason: string
}

/** sMAPE (percent), MASE (null when the history repeats itself exactly) and interval coverage. */
export interface Accuracy {
  smape: number
  mase: number | null
  coverage: number
}

/** One origin of a `backtest`: the forecast made on `values[0..cutoff)` against what followed. */
export interface BacktestWindow {
  cutoff: number
  actual: number[]
  model: string
  mean: number[]
  lower: number[]
  upper: number[]
  accuracy: Accuracy
  benchmark: Accuracy
}

/** The result of `backtest`: the windows, the forecast's and the seasonal-naive benchmark's errors. */
export interface Backtest {
  horizon: number
  step: number
  windows: BacktestWindow[]
  accuracy: Accuracy
  benchmark: Accuracy
  summary: string
}

/** A savings recommendation (`savings`). */
export interface Recommendation {
  id: string
  action: { kind: 'downsize'; resource: string; from: number; to: number } | { kind: 'reserve'; resource: string; units: number }
  monthlySaving: { amount: string; currency: string }
  confidence: number
  status: 'pending' | 'approved' | 'implemented' | 'rejected' | 'expired'
  created: string
  expires: string
  reason: string
  history: { date: string; status: string; actor: string }[]
}

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * A budget followed entry by entry: `record(entry)` gives the alerts it fires, `status(asOf)` the spend,
 * projection and attribution; `toJson()` / `BudgetTracker.fromJson` store and resume it (a stored state
 * is checked: an edited one is `invalid_state`).
 */
export declare class BudgetTracker {
  /** A tracker for `budget` (as `budgetStatus`). */
  constructor(budget: Record<string, unknown>)
  /** Records one cost entry (entries in date order): the alerts it fires. */
  record(entry: Record<string, unknown>): Record<string, unknown>[]
  /** The status on `asOf` ("YYYY-MM-DD"). */
  status(asOf: string): Record<string, unknown>
  /** The whole state as JSON text. */
  toJson(): string
  /** Resumes a tracker saved with `toJson()`. */
  static fromJson(text: string): BudgetTracker
}

/**
 * A streaming detector: `push(value)` gives an alert event or null; `toJson()` / `DetectorStream.fromJson`
 * store and resume the state.
 */
export declare class DetectorStream {
  /** A stream for `method` with `params` (as `detect`). */
  constructor(method?: string | undefined | null, params?: Record<string, unknown> | undefined | null)
  /** Pushes the next value (NaN: missing): `{ event, alert }` or null. */
  push(value: number): AlertEvent | null
  /**
   * Pushes a value observed at `time` (seconds): the events of the periods it closed (a period is
   * scored when a point of a later one arrives, or at `flush()`).
   */
  pushAt(time: number, value: number): AlertEvent[]
  /** Scores the period `pushAt` holds open: its events. */
  flush(): AlertEvent[]
  /** What `pushAt` did with the timestamps: `{ aggregated, outOfOrder, late }`. */
  get ingest(): { aggregated: number; outOfOrder: number; late: number }
  /** Pushes many values in order (the detector chosen once for the whole array); the events. */
  extend(values: Float64Array | number[]): AlertEvent[]
  /** Periods seen (missing included). */
  get periods(): number
  /** The whole state as JSON text. */
  toJson(): string
  /** Resumes a stream saved with `toJson`. */
  static fromJson(text: string): DetectorStream
}

/** M/M/c queue metrics. */
export declare class ErlangC {
  /** Arrival rate λ. */
  get arrivalRate(): number
  /** Mean service time. */
  get meanServiceTime(): number
  /** Servers c. */
  get servers(): number
  /** Offered load a = λ s, in Erlangs. */
  get offeredLoad(): number
  /** Utilisation a / c. */
  get utilization(): number
  /** Probability of waiting, C(c, a). */
  get pWait(): number
  /** Mean wait in the queue. */
  get meanWait(): number
  /** Mean number waiting (Little's law). */
  get meanQueueLength(): number
  /** P(W <= answerTime) when an answer time was given. */
  get serviceLevel(): number | null
  /** The answer time of `serviceLevel`. */
  get answerTime(): number | null
  /** The p-quantile of the waiting time. */
  waitPercentile(p: number): number
  /** P(W <= t). */
  serviceLevelAt(t: number): number
  /** The canonical JSON (the same bytes as Rust and Python). */
  toJson(): string
}
export type JsErlangC = ErlangC

/**
 * Rollouts through the embedded store (no path or ":memory:": in memory; a path: a SQLite file) and a
 * deployer: the host's own (`options.deployer`, an object whose `apply`, `actual` and `rollback` return
 * values or Promises) or, without one, a simulated platform whose rollbacks are confirmed
 * `rollbackSecs` later. Every method returns a Promise, runs on the service's worker threads (never on
 * the event loop) and rejects, never throws, with an `Error` whose `code` is the core's.
 */
export declare class RolloutService {
  /**
   * Opens the store. `options`: `{ deployer?, rollbackSecs?, approvalThresholds?: { maxUsers,
   * maxMonthlyCost } }`. (The package entry turns `options.deployer` into the bridge function.)
   */
  constructor(path?: string | null, options?: RolloutServiceOptions)
  /** The name of the platform the service drives (`simulated` without a deployer). */
  get deployerName(): string
  /**
   * Creates rollout `id` (state ready) initiated by `initiator` (`{ id, role }`, operations manager or
   * above).
   */
  create(id: string, plan: RolloutPlanInput | string, initiator: Actor, now: string, policy?: object): Promise<Record<string, any>>
  /**
   * Applies a command at `now`. `pause`, `rollback` and `abort` ignore `expectedVersion` (they are
   * re-applied against the latest state); the others reject with `conflict` on a stale one.
   */
  execute(id: string, command: RolloutCommand, now: string, options?: CommandOptions): Promise<CommandOutcome>
  /**
   * A tick at `now` sent by `options.actor` (monitor or above) with the window ending then (or null)
   * and analytics event times since the last tick.
   */
  observe(id: string, now: string, window: RolloutWindow | null | undefined, events: string[] | null | undefined, options: ObserveOptions): Promise<CommandOutcome>
  /**
   * Records or updates an incident (`{ id, severity, openedAt, resolvedAt }`) reported by
   * `options.actor` (monitor or above).
   */
  reportIncident(id: string, incident: RolloutIncident, options: { actor: Actor }): Promise<null>
  /** The rollout's full state. */
  rollout(id: string): Promise<Record<string, any>>
  /** Every rollout id in the store. */
  rolloutIds(): Promise<string[]>
  /** The dashboard view at `now`. */
  progress(id: string, now: string): Promise<RolloutProgress>
  /** The audit log (hash-chained events). */
  audit(id: string): Promise<AuditEvent[]>
  /**
   * The decision log, oldest first; with `options.limit`, one page, newest first: at most `limit` (up to
   * 1,000) decisions older than version `options.before`, read without loading the rest.
   */
  decisions(id: string, options?: { limit?: number; before?: number }): Promise<RolloutDecision[]>
  /** Checks the stored audit chain. */
  verifyAudit(id: string): Promise<ChainCheck>
  /** Re-applies desired traffic where the platform differs; resolves to the rollout. */
  reconcile(id: string, now: string): Promise<Record<string, any>>
  /**
   * Traffic (percent) the simulated deployer runs for rollout `rolloutId` on `target`, or null. A
   * service with the host's own deployer rejects with `deploy` (ask the platform).
   */
  deployedTraffic(rolloutId: string, target: string): Promise<number | null>
}

/** A fitted Universal Scalability Law model. */
export declare class UslFit {
  /** Throughput of one unit of concurrency, λ. */
  get lambda(): number
  /** Contention σ. */
  get sigma(): number
  /** Coherency κ. */
  get kappa(): number
  /** N* = max(1, sqrt((1 - σ) / κ)); null when κ = 0. */
  get peakConcurrency(): number | null
  /** X(N*); null when κ = 0. */
  get peakThroughput(): number | null
  /** 1 - SSE / SST. */
  get rSquared(): number
  /** sqrt(SSE / (n - 3)); null with 3 points. */
  get residualStdError(): number | null
  /** Coefficients held on a bound by the fit (e.g. `["kappa"]`); they have no standard error. */
  get atBound(): Array<'lambda' | 'sigma' | 'kappa'>
  /** Standard errors by name; null on a bound and with 3 points. */
  get stdErrors(): { lambda: number | null; sigma: number | null; kappa: number | null }
  /** 95% intervals by name (t with n - 3 df); null where the standard error is. */
  get intervals(): { lambda: Interval | null; sigma: Interval | null; kappa: Interval | null }
  /** Residual degrees of freedom, n - 3. */
  get df(): number
  /** Predicted throughput at concurrency `n`. */
  throughput(n: number): number
  /** A warning when `target` lies past the peak, else null. */
  pastPeakWarning(target: number): string | null
  /** The canonical JSON (the same bytes as Rust and Python). */
  toJson(): string
}
export type JsUslFit = UslFit

/** Readiness of an experiment under a policy (JSON strings or objects in the canonical snake_case shape). */
export declare function assessReadiness(experiment: string | object, policy: string | object): Readiness

/** `assessReadiness` off the event loop. */
export declare function assessReadinessAsync(experiment: string | object, policy: string | object): Promise<Readiness>

/** Readiness as canonical JSON text (the same bytes as Rust and Python). */
export declare function assessReadinessJson(experiment: string, policy: string): string

/**
 * Rolling-origin backtest of `forecast(values, horizon, seasonLength, level, options)`: `windows`
 * origins `step` periods apart, the last `horizon` periods before the end; each window's forecast, sMAPE,
 * MASE and interval coverage, and the seasonal-naive benchmark's from the same origins.
 */
export declare function backtest(values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: BacktestOptions | undefined | null): Backtest

/** `backtest` off the event loop (one forecast fit per origin): resolves to what `backtest` returns. */
export declare function backtestAsync(values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: BacktestOptions | undefined | null): Promise<Backtest>

/** Options of `backtest`: the forecast's (`model`, `thorough`) and the origins'. */
export interface BacktestOptions {
  /** "auto" (default), an ETS model such as "ETS(A,Ad,N)", or "seasonal_naive". */
  model?: string
  /** Search the initial seasonal states by likelihood, as R does. */
  thorough?: boolean
  /** Forecast origins (default 3). */
  windows?: number
  /** Periods between origins (default: the horizon). */
  step?: number
}

/**
 * Replays `predictiveSchedule` on the last `days` days (default 7) of `history`: periods short of
 * capacity and cost, beside the reactive replay and static peak provisioning.
 */
export declare function backtestSchedule(history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>, days?: number | undefined | null): any

/** `backtestSchedule` off the event loop (one forecast fit per replayed day). */
export declare function backtestScheduleAsync(history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>, days?: number | undefined | null): Promise<Record<string, unknown>>

/** Benjamini–Hochberg adjusted p-values. */
export declare function benjaminiHochberg(pValues: Float64Array | number[]): Float64Array

/** Beta-binomial chance to beat control and expected losses (prior `{ alpha, beta }`, default 1, 1). */
export declare function betaBinomial(control: ProportionArm, treatment: ProportionArm, prior?: Partial<BetaPrior> | undefined | null): BetaBinomialResult

/** Budget status on `asOf` ("YYYY-MM-DD") from cost entries; amounts are decimal strings. */
export declare function budgetStatus(budget: Record<string, unknown>, entries: Record<string, unknown>[], asOf: string): any

/** Canonical JSON text of an `experiment`, `policy` or `readiness` document. */
export declare function canonicalJson(kind: string, documentJson: string): string

/** The configuration and monthly run rate at each milestone `{ label, users }`. */
export declare function capacityMilestones(request: EstimateRequest | string, catalog: PriceCatalog | string, milestones: Milestone[]): MilestonePlan[]

/** Totals of line items `{ name, quantity, unitPrice, kind }` (amounts as decimal strings). */
export declare function costTotals(lineItems: LineItem[], currency?: string | undefined | null): CostTotals

/** CUPED; arms `{ n, mean, variance, covariate_mean, covariate_variance, covariance }`. */
export declare function cuped(control: CupedArm, treatment: CupedArm, options?: TestOptions | undefined | null): CupedResult

/**
 * Runs a detector over a series: `method` is "auto" (default), "calibrated", "baseline_ratio",
 * "robust_z", "ewma", "seasonal", "seasonal_esd" or "threshold"; `params` its parameters, `cooldown`
 * and `aggregate` ("mean", "sum", "max", "last"). Timestamps may be numbers, `Date`s or ISO strings;
 * they are sorted and combined as the core's `detect_with` says.
 */
export declare function detect(values: Float64Array | number[], timestamps?: Float64Array | Array<number | Date | string> | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null): Detection

/** `detect` off the event loop: resolves to `detect`'s result (alerts and ingest as plain objects). */
export declare function detectAsync(values: Float64Array | number[], timestamps?: Float64Array | (number | Date | string)[] | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null): Promise<DetectionResult>

/** The result of `detect`: arrays aligned with the input, and the alerts. */
export interface Detection {
  /** The detector that ran, with its parameters. */
  method: string
  /** The season used, if any. */
  seasonLength?: number
  /** 1 for an anomalous point, 0 otherwise. */
  flags: Uint8Array
  /** Scores (0 where missing or warming up). */
  scores: Float64Array
  /** Expected values (NaN before a baseline exists). */
  expected: Float64Array
  /** One alert per anomaly. */
  alerts: Alert[]
  /** Periods without a value. */
  missing: number
  /** The timestamps' median step, when timestamps were given. */
  step?: number
  /**
   * How the points were placed on the grid: `grid`, `out_of_order`, `aggregated`, `aggregate`,
   * `periods`.
   */
  ingest: Ingest
}

/** The result of `detectAsync`: `detect`'s, with the alerts and the ingest as plain objects. */
export interface DetectionResult {
  /** The detector that ran, with its parameters. */
  method: string
  /** The season used, if any. */
  seasonLength?: number
  /** 1 for an anomalous point, 0 otherwise. */
  flags: Uint8Array
  /** Scores (0 where missing or warming up). */
  scores: Float64Array
  /** Expected values (NaN before a baseline exists). */
  expected: Float64Array
  /** One alert per anomaly. */
  alerts: Alert[]
  /** Periods without a value. */
  missing: number
  /** The timestamps' median step, when timestamps were given. */
  step?: number
  /** How the points were placed on the grid. */
  ingest: Ingest
}

/**
 * `detect` on every series of a panel, in parallel over the cores: series `i` is
 * `values[offsets[i]..offsets[i + 1]]` (and its timestamps, when given, the same slice of
 * `timestamps`); `params` as `detect`'s, plus `threads` (default: every core). The detections in series
 * order, as `detectAsync` resolves them (alerts and ingest as plain objects).
 */
export declare function detectMany(values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | Array<number | Date | string> | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null): Array<DetectionResult>

/**
 * `detectMany`'s alerts alone: per series, in series order, the alerts `detectMany(...)[i].alerts`
 * holds, field for field, without the per-point arrays (flags, scores, expected values), which the core
 * then does not compute (`scaleplan::anomaly::detect_many_alerts`). The same arguments as
 * `detectMany`.
 */
export declare function detectManyAlerts(values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | Array<number | Date | string> | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null): Alert[][]

/** `detectManyAlerts` off the event loop: resolves to what `detectManyAlerts` returns. */
export declare function detectManyAlertsAsync(values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | (number | Date | string)[] | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null): Promise<Alert[][]>

/** `detectMany` off the event loop: resolves to what `detectMany` returns. */
export declare function detectManyAsync(values: Float64Array | number[], offsets: Float64Array | number[], timestamps?: Float64Array | (number | Date | string)[] | undefined | null, method?: string | undefined | null, params?: Record<string, unknown> | undefined | null): Promise<DetectionResult[]>

/** Erlang C metrics of an M/M/c queue. */
export declare function erlangC(arrivalRate: number, meanServiceTime: number, servers: number, answerTime?: number | undefined | null): ErlangC

/** What scaling needs and costs: line items, totals, low/expected/high range and assumptions. */
export declare function estimate(request: EstimateRequest | string, catalog: PriceCatalog | string): ResourceEstimate

/** `estimate` off the event loop. */
export declare function estimateAsync(request: EstimateRequest | string, catalog: PriceCatalog | string): Promise<ResourceEstimate>

/** The estimate as canonical JSON text (the same bytes as Rust and Python). */
export declare function estimateJson(requestJson: string, catalogJson: string): string

/**
 * When `values` reach `capacity` within `horizon` periods: `{ period, upperPeriod, ... }` (null: not
 * within the horizon).
 */
export declare function exhaustion(values: Float64Array | number[], capacity: number, horizon: number, seasonLength?: number | undefined | null): Exhaustion

/** Forecasts `values` `horizon` periods ahead with a `level` % interval (default 95). */
export declare function forecast(values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastOptions | undefined | null): Forecast

/** A forecast: `mean`, `lower`, `upper` and the `model` it used. */
export interface Forecast {
  /** E.g. "ETS(M,Ad,M)" or "SeasonalNaive(12)". */
  model: string
  /** Point forecasts. */
  mean: Float64Array
  /** Lower bounds. */
  lower: Float64Array
  /** Upper bounds. */
  upper: Float64Array
  /** Interval level in percent. */
  level: number
  /** The season used, if any. */
  seasonLength?: number
  /** AICc of the chosen ETS model. */
  aicc?: number
  /** Standard deviation of the one-step errors. */
  sigma: number
  /**
   * Smoothing parameters `{ alpha, beta, gamma, phi }` and where the initial seasonal states came
   * from (`initialSeason`: "first_seasons", "whole_series", "searched", or null without a season), or null.
   */
  params: { alpha: number; beta: number; gamma: number; phi: number; initialSeason: 'first_seasons' | 'whole_series' | 'searched' | null } | null
  /** The models compared, best first. */
  candidates: { model: string; aicc: number; weight: number }[]
  /** What was done differently from the request, and why. */
  notes: Array<string>
}

/** `forecast` off the event loop: resolves to what `forecast` returns. */
export declare function forecastAsync(values: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastOptions | undefined | null): Promise<Forecast>

/**
 * `forecast` on every series of a panel, in parallel over the cores: series `i` is
 * `values[offsets[i]..offsets[i + 1]]`; the forecasts in series order. A bad series is an error
 * naming it (`series[3].values[7] ...`).
 */
export declare function forecastMany(values: Float64Array | number[], offsets: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastManyOptions | undefined | null): Array<Forecast>

/** `forecastMany` off the event loop: resolves to what `forecastMany` returns. */
export declare function forecastManyAsync(values: Float64Array | number[], offsets: Float64Array | number[], horizon: number, seasonLength?: number | undefined | null, level?: number | undefined | null, options?: ForecastManyOptions | undefined | null): Promise<Forecast[]>

/** Options of `forecastMany`: `forecast`'s, and the threads to use (every core by default). */
export interface ForecastManyOptions {
  /** As `forecast`'s. */
  model?: string
  /** As `forecast`'s. */
  thorough?: boolean
  /** Threads (default: every core). */
  threads?: number
}

/** Options of `forecast`. */
export interface ForecastOptions {
  /** "auto" (default), an ETS model such as "ETS(A,Ad,N)", or "seasonal_naive". */
  model?: string
  /** Search the initial seasonal states by likelihood, as R does (slower, and on M3 less accurate than the default). */
  thorough?: boolean
}

/**
 * The growth phase to be in at `users` (with hysteresis against `active`); default phases when
 * `plan` is omitted.
 */
export declare function growthPhase(users: number, active?: string | undefined | null, plan?: object | undefined | null): PhaseRecommendation

/** The compound growth rate per period: `{ rate, ci: [lo, hi], confidence, ... }`. */
export declare function growthRate(values: Float64Array | number[]): GrowthRate

/** Holm adjusted p-values. */
export declare function holm(pValues: Float64Array | number[]): Float64Array

/**
 * The Kubernetes HPA replica rule; pods are `{ state, requestMilli, usageMilli }`; `tolerance` is a
 * number or `{ scaleUp, scaleDown }` (Kubernetes 1.33), the core's default (0.1 both ways) when omitted.
 */
export declare function hpaDesiredReplicas(currentReplicas: number, pods: Pod[], targetUtilizationPercent: number, tolerance?: number | { scaleUp: number; scaleDown: number } | undefined | null): HpaRecommendation

/** One HPA sync with Kubernetes' behaviour; pass the returned `state` back next time. */
export declare function hpaScale(behavior: HpaBehavior, now: number, currentReplicas: number, recommendedReplicas: number, state?: HpaState | undefined | null): HpaScaleResult

/** The annual value of the lift, low / expected / high. */
export declare function impact(input: ImpactInput | string): Impact

/** Reads and validates a price catalog from TOML (default) or JSON text. */
export declare function loadCatalog(text: string, format?: 'toml' | 'json' | undefined | null): PriceCatalog

/** The minimum detectable effect for `nPerArm` visitors per arm. */
export declare function mdeProportions(baselineRate: number, nPerArm: number, options?: PowerOptions | undefined | null): number

/** Mean arm: `{ n, mean, variance }` with the sample variance (ddof = 1). */
export interface MeanArm {
  /** Sample size. */
  n: number
  /** Sample mean. */
  mean: number
  /** Sample variance. */
  variance: number
}

/** The fewest servers meeting `criterion`. */
export declare function minServers(arrivalRate: number, meanServiceTime: number, criterion: ServerCriterion, value: number, answerTime?: number | undefined | null): ErlangC

/** `minServers` for many arrival rates: the server counts, in input order. */
export declare function minServersBatch(arrivalRates: Float64Array | number[], meanServiceTime: number, criterion: ServerCriterion, value: number, answerTime?: number | undefined | null): Float64Array

/**
 * A 30/60/90 plan's milestones (`{ name, due, criteria: [{ metric, target }] }`) on `asOf` (ISO 8601)
 * from observations (`{ at, metric, value }`): each criterion met, on_track, at_risk (the trend misses
 * the due date) or missed.
 */
export declare function planStatus(plan: Record<string, unknown>, observations: Record<string, unknown>[], asOf: string): any

/** Options of the power functions. */
export interface PowerOptions {
  /** Significance level. */
  alpha?: number
  /** Power (1 - beta). */
  power?: number
  /** Whether the MDE is relative to the baseline. */
  relative?: boolean
  /** `"two-sided"`, `"less"` or `"greater"`. */
  alternative?: string
}

/**
 * Capacity scheduled from the forecast of `history` (requests per second per period at `timestamps`),
 * sized by the capacity `model` on `catalog`, with the reactive replay and static peak provisioning
 * priced beside it. `options`: instanceType, cpuSecondsPerRequest, horizon (48), quantile (0.9),
 * prewarmSecs (300), scaleInDelaySecs (300), minInstances, maxInstances, mode ('forecast_and_scale' |
 * 'forecast_only'), forecastModel.
 */
export declare function predictiveSchedule(history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>): any

/** `predictiveSchedule` off the event loop (the forecast fit can take tens of milliseconds). */
export declare function predictiveScheduleAsync(history: Float64Array | number[], timestamps: Float64Array | (number | Date | string)[], model: Record<string, unknown>, catalog: PriceCatalog | string, options: Record<string, unknown>): Promise<Record<string, unknown>>

/** Conversions arm: `{ visitors, conversions }`. */
export interface ProportionArm {
  /** Visitors (trials). */
  visitors: number
  /** Conversions (successes). */
  conversions: number
}

/** Column-wise batch results. */
export interface ProportionsBatch {
  /** z statistics. */
  z: Float64Array
  /** p-values. */
  pValue: Float64Array
  /** Differences. */
  absoluteEffect: Float64Array
  /** Lower ends of the absolute intervals. */
  absoluteCiLo: Float64Array
  /** Upper ends of the absolute intervals. */
  absoluteCiHi: Float64Array
  /** Relative lifts (NaN where the control rate is 0). */
  relativeLift: Float64Array
  /** Lower ends of the relative intervals. */
  relativeCiLo: Float64Array
  /** Upper ends of the relative intervals. */
  relativeCiHi: Float64Array
}

/** Ratio metric by the delta method; arms `{ n, sum_x, sum_y, sum_x2, sum_y2, sum_xy }`. */
export declare function ratio(control: RatioArm, treatment: RatioArm, options?: TestOptions | undefined | null): RatioResult

/**
 * A recommendation after a lifecycle step ("approve", "implement", "reject", "expire") on `date` by
 * `actor`; the input is not changed.
 */
export declare function recommendationStep(recommendation: Recommendation, step: string, date: string, actor?: string | undefined | null): Recommendation

/** Performance regression of `current` latencies against a load-test `baseline`. */
export declare function regression(baseline: Float64Array | number[], current: Float64Array | number[], options?: RegressionOptions | undefined | null): Regression

/** Options of `regression`. */
export interface RegressionOptions {
  /** Percentiles compared (default [50, 95, 99]). */
  percentiles?: Array<number>
  /** Relative degradation that counts (default 0.10). */
  tolerance?: number
  /** Level of the Mann-Whitney test (default 0.05). */
  alpha?: number
}

/** A validated plan: `strategy` "gradual" (default), "immediate", or "custom" with `options.phases`. */
export declare function rolloutPlan(strategy?: 'gradual' | 'immediate' | 'custom', options?: { phases?: object[]; scope?: object; waves?: 'sequential' | 'parallel' }): RolloutPlan

/** Visitors per arm (exact, fractional) to detect `mde` from `baselineRate`. */
export declare function sampleSizeProportions(baselineRate: number, mde: number, options?: PowerOptions | undefined | null): number

/** Savings recommendations for resources under options (`{ asOf, downsizeBelow, ... }`). */
export declare function savings(resources: Record<string, unknown>[], options: Record<string, unknown>): Recommendation[]

/** The seed trigger rules (CPU, connections, latency, low utilisation) with evidence. */
export declare function scalingTriggers(input: TriggerInput | string, rules?: object | undefined | null): TriggerReport

/** Always-valid p-value and confidence sequence (mSPRT). */
export declare function sequential(estimate: number, stdError: number, sampleSize: number, options?: SequentialOptions | undefined | null): SequentialResult

/** Batch always-valid p-values. */
export declare function sequentialBatch(estimate: Float64Array | number[], stdError: Float64Array | number[], sampleSize: Float64Array | number[], options?: SequentialOptions | undefined | null): Float64Array

/** Options of the sequential test. */
export interface SequentialOptions {
  /** Significance level. */
  alpha?: number
  /** Total sample size at which the confidence sequence is tightest. */
  tuningSampleSize?: number
  /** The previous look's always-valid p-value (keeps the running minimum). */
  previousPValue?: number
}

/** Replays the gating policy over recorded evidence (the policy spec's replay format). */
export declare function simulate(input: string): string

/** `simulate` (a replay of up to 366 days) off the event loop: resolves to the same JSON text. */
export declare function simulateAsync(input: string): Promise<string>

/**
 * SLO report of metric windows (`{ start, end, requests, errors, p95Ms }`, times as ISO strings) and
 * incidents (`{ id, severity, openedAt, resolvedAt }`) against objectives (default: availability
 * 99.5 %, p95 300 ms in 99 % of windows, error rate 0.5 %, half the budget left, MTTR 1 h), per period
 * (default 30 days; `{ lengthSecs: 86400 }` for a daily series).
 */
export declare function sloReport(windows: Record<string, unknown>[], objectives?: Record<string, unknown> | null, period?: Record<string, unknown> | null, incidents?: Record<string, unknown>[] | null): any

/** Sample-ratio mismatch test. */
export declare function srm(observedCounts: Array<number>, expectedWeights: Array<number>, threshold?: number | undefined | null): SrmResult

/** Options of the frequentist tests; omitted fields take the core's defaults (alpha 0.05, two-sided). */
export interface TestOptions {
  /** Significance level in (0, 1). */
  alpha?: number
  /** `"two-sided"`, `"less"` or `"greater"`. */
  alternative?: string
}

/** Two-proportion z test (pooled SE; Wald and delta-method intervals). */
export declare function twoProportions(control: ProportionArm, treatment: ProportionArm, options?: TestOptions | undefined | null): ProportionsResult

/** Batch two-proportion tests over equal-length arrays (`Float64Array`s or plain arrays of numbers). */
export declare function twoProportionsBatch(controlVisitors: Float64Array | number[], controlConversions: Float64Array | number[], treatmentVisitors: Float64Array | number[], treatmentConversions: Float64Array | number[], options?: TestOptions | undefined | null): ProportionsBatch

/** Fits the Universal Scalability Law to load-test points. */
export declare function uslFit(concurrency: Array<number>, throughput: Array<number>): UslFit

/** Validates a plan (object or JSON text) and returns it with defaults filled in. */
export declare function validatePlan(plan: object | string): RolloutPlan

/** Checks an audit log (events as `RolloutService.audit` returns them). */
export declare function verifyAudit(events: AuditEvent[]): ChainCheck

/** Welch's t test from summary statistics. */
export declare function welch(control: MeanArm, treatment: MeanArm, options?: TestOptions | undefined | null): WelchResult

/** "good", "breach" or "insufficient" for a window under `policy` (default: the spec's). */
export declare function windowStatus(window: object, policy?: object): 'good' | 'breach' | 'insufficient'
