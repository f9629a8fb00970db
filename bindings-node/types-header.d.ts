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
