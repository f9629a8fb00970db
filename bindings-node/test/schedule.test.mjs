// predictiveSchedule / backtestSchedule: the hand-derived cases of core/tests/it/schedule.rs (100 req/s
// at night, 700 from 09:00 to 17:00, 0.01 CPU-s per request, linear model at 70 % of 2 vCPU: 1 and 5
// instances at $0.10 an hour, seasonal-naive forecast at its median, 5 minutes of pre-warm and delay),
// with Dates as timestamps.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const sp = require('../scaleplan.js')

const catalog = sp.loadCatalog('{"name": "demo", "currency": "USD", "instances": [{"name": "app.large", "vcpu": 2, "memory_gib": 8, "hourly": "0.10"}]}', 'json')
const options = { instanceType: 'app.large', cpuSecondsPerRequest: 0.01, forecastModel: 'seasonal_naive', quantile: 0.5 }
const load = (days) => Array.from({ length: 24 * days }, (_, h) => (h % 24 >= 9 && h % 24 < 17 ? 700 : 100))
const dates = (days) => Array.from({ length: 24 * days }, (_, h) => new Date(h * 3600e3))

test('the schedule, its price and the reactive baseline', () => {
  const s = sp.predictiveSchedule(load(3), dates(3), { model: 'linear' }, catalog, options)
  assert.equal(s.steps.length, 48)
  assert.deepEqual(s.actions.map((a) => [a.at, a.from, a.to]), [
    ['1970-01-04T08:55:00Z', 1, 5], ['1970-01-04T17:05:00Z', 5, 1],
    ['1970-01-05T08:55:00Z', 1, 5], ['1970-01-05T17:05:00Z', 5, 1]])
  assert.equal(Number(s.cost.amount), 11.35)
  assert.equal(Number(s.reactiveCost.amount), 11.275)
  assert.equal(s.reactiveShortPeriods, 2)
  const only = sp.predictiveSchedule(load(3), dates(3), { model: 'linear' }, catalog, { ...options, mode: 'forecast_only' })
  assert.deepEqual(only.actions, [])
})

test('the backtest', () => {
  const b = sp.backtestSchedule(load(10), dates(10), { model: 'linear' }, catalog, options, 3)
  assert.deepEqual([b.periods, b.predictiveShortPeriods, b.reactiveShortPeriods], [72, 0, 3])
})

test('bad input is a typed error', () => {
  assert.throws(() => sp.predictiveSchedule(load(3), dates(3), { model: 'linear' }, catalog, { ...options, instanceType: 'app.huge' }),
    (e) => e.code === 'unknown_resource')
  assert.throws(() => sp.predictiveSchedule(load(3), load(3).map(() => 0.5), { model: 'linear' }, catalog, options),
    (e) => e.code === 'invalid_timestamps')
})

test('Promise forms resolve to the same value and reject, never throw', async () => {
  const sync = sp.predictiveSchedule(load(3), dates(3), { model: 'linear' }, catalog, options)
  const async_ = await sp.predictiveScheduleAsync(load(3), dates(3), { model: 'linear' }, catalog, options)
  assert.deepEqual(async_, sync)
  const b = await sp.backtestScheduleAsync(load(10), dates(10), { model: 'linear' }, catalog, options, 3)
  assert.equal(b.reactiveShortPeriods, 3)
  let p
  assert.doesNotThrow(() => { p = sp.predictiveScheduleAsync('not numbers', dates(3), { model: 'linear' }, catalog, options) })
  await assert.rejects(p, (e) => typeof e.code === 'string' && e.code !== 'internal')
  await assert.rejects(sp.predictiveScheduleAsync(load(3), dates(3), { model: 'linear' }, catalog, { ...options, instanceType: 'x' }),
    (e) => e.code === 'unknown_resource')
})
