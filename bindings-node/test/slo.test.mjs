// sloReport: the SRE workbook's numbers (99.9 % over 30 days allows 43.2 minutes; a 14.4 burn rate for an
// hour spends 2 % of it), verdicts with evidence, camelCase in and out, and typed errors. Same cases as
// core/tests/it/slo.rs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const sp = require('../scaleplan.js')

const T0 = Date.UTC(2025, 5, 1)
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z')
const month = (errors, p95 = () => 250) => Array.from({ length: 720 }, (_, h) => ({
  start: iso(T0 + h * 3600e3), end: iso(T0 + (h + 1) * 3600e3), requests: 100000, errors: errors(h), p95Ms: p95(h)
}))
const close = (a, b) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${a} vs ${b}`)

test('the workbook budget and burn rates', () => {
  const r = sp.sloReport(month((h) => (h === 719 ? 1440 : 0)), { availabilityPct: 99.9 })
  assert.equal(r.periods.length, 1)
  const p = r.periods[0]
  close(p.budget.totalMinutes, 43.2)
  close(p.budget.consumed, 0.02)
  assert.deepEqual(p.burnRates.map((b) => b.burnLong), [14.4, 2.4, 0.6, 0.2])
  assert.ok(p.burnRates.every((b) => !b.firing))
  assert.equal(p.met, true)
})

test('objectives say why, daily series', () => {
  const incidents = [{ id: 'INC-1', severity: 'P1', openedAt: iso(T0 + 10 * 3600e3), resolvedAt: iso(T0 + 10.5 * 3600e3) }]
  const r = sp.sloReport(month(() => 300), null, { lengthSecs: 86400 }, incidents)
  assert.equal(r.periods.length, 30)
  const budget = r.periods[0].objectives.find((c) => c.objective === 'errorBudget' || c.objective === 'error_budget')
  assert.equal(budget.status, 'missed')
  assert.match(budget.evidence, /40\.0 % of the error budget remains/)
  assert.equal(r.periods[0].incidents.mttrSecs, 1800)
})

test('bad input is a typed error', () => {
  assert.throws(() => sp.sloReport([]), (e) => e.code === 'empty_input')
  const w = month(() => 0)
  w[3].errors = 200000
  assert.throws(() => sp.sloReport(w), (e) => e.code === 'invalid_window' && /windows\[3\]\.errors/.test(e.message))
  assert.throws(() => sp.sloReport(month(() => 0), { availabilityPct: 100 }), (e) => e.code === 'out_of_range')
})

test('planStatus: at risk when the trend misses the due date', () => {
  const day = (d) => iso(T0 + d * 86400e3)
  const plan = { milestones: [{ name: 'day 60', due: day(60), criteria: [{ metric: 'concurrent_users', target: 25000 }] }] }
  const obs = [0, 10, 20, 30, 40].map((d) => ({ at: day(d), metric: 'concurrent_users', value: 4000 + 300 * d }))
  const s = sp.planStatus(plan, obs, day(40))
  assert.equal(s.milestones[0].state, 'at_risk')
  close(s.milestones[0].criteria[0].projected, 22000)
  assert.throws(() => sp.planStatus({ milestones: [] }, [], day(0)), (e) => e.code === 'empty_input')
})
