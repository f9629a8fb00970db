// Real exports into detect through Node: Dates and ISO strings as timestamps, repeated and backward
// timestamps, calendar months, `aggregate`, and the calibrated default with its explanation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const sp = require('../scaleplan.js')

function series () {
  const t = Array.from({ length: 40 }, (_, i) => 1.7e9 + 300 * i)
  ;[t[20], t[21]] = [t[21], t[20]]
  t.splice(26, 0, t[25])
  const y = new Array(41).fill(10)
  y[31] = 50
  return { t, y }
}

test('Dates, ISO strings and numbers give the same detection', () => {
  const { t, y } = series()
  const n = sp.detect(y, t, 'baseline_ratio')
  const dates = sp.detect(y, t.map((s) => new Date(s * 1000)), 'baseline_ratio')
  const iso = sp.detect(y, t.map((s) => new Date(s * 1000).toISOString()), 'baseline_ratio')
  for (const d of [n, dates, iso]) {
    assert.deepEqual(d.ingest, { grid: 'seconds', outOfOrder: 1, aggregated: 1, aggregate: 'mean', periods: 40 })
    assert.deepEqual([...d.flags.keys()].filter((i) => d.flags[i]), [31])
    assert.equal(d.alerts[0].time, t[31])
  }
  // offsets and a naive "YYYY-MM-DD HH:MM:SS" (UTC), as NAB writes them
  const mixed = t.map((s, i) => (i % 2 ? new Date(s * 1000).toISOString().replace('Z', '+00:00') : new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ')))
  assert.deepEqual(sp.detect(y, mixed, 'baseline_ratio').ingest, n.ingest)
})

test('aggregate sums counts; a bad time or aggregate is a typed error naming it', () => {
  const { t, y } = series()
  const s = sp.detect(y, t, 'baseline_ratio', { aggregate: 'sum' })
  assert.equal(s.ingest.aggregate, 'sum')
  assert.ok(s.flags[25] && s.flags[26])
  assert.throws(() => sp.detect(y, t, 'auto', { aggregate: 'median' }), (e) => e.code === 'unknown_variant' && /aggregate/.test(e.message))
  assert.throws(() => sp.detect([1, 2], ['2026-01-01T00:00:00Z', 'soon']), (e) => e.code === 'invalid_timestamps' && /timestamps\[1\]/.test(e.message))
  assert.throws(() => sp.detect([1, 2], [0, true]), (e) => e.code === 'wrong_type' && /timestamps\[1\]/.test(e.message))
  assert.throws(() => sp.detect([1, 2], [0, NaN]), (e) => e.code === 'not_finite')
})

test('calendar months are steps', () => {
  const t = Array.from({ length: 36 }, (_, k) => new Date(Date.UTC(2020, k, 1)))
  const d = sp.detect(new Float64Array(36).fill(5), t)
  assert.equal(d.ingest.grid, 'month')
  assert.equal(d.missing, 0)
})

test('the calibrated default alerts on a spike, explains its threshold, and a stream agrees', () => {
  let s = 11
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
  const y = new Float64Array(5000).map(() => 100 + (rnd() + rnd() + rnd() + rnd() - 2) * 2)
  y[4000] += 30
  const d = sp.detect(y)
  assert.match(d.method, /^calibrated/)
  assert.deepEqual(d.alerts.map((a) => a.startIndex), [4000])
  assert.match(d.alerts[0].reason, /calibrated threshold .* one false alarm per 10000 periods/)
  const st = new sp.DetectorStream()
  const opened = []
  for (const v of y) {
    const ev = st.push(v)
    if (ev && ev.event === 'opened') opened.push(ev.alert.startIndex)
  }
  assert.deepEqual(opened, [4000])
})

test('a stronger anomaly escalates in the refractory period, in the batch form and a resumed stream', () => {
  let s = 5
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
  const y = new Float64Array(4000).map(() => 100 + (rnd() - 0.5) * 10)
  y[2000] = 175
  y[2100] = 1100 // 100 periods later: inside the 288-period refractory period, past the 48-period scale
  const d = sp.detect(y, null, 'calibrated')
  assert.deepEqual(d.alerts.map((a) => a.startIndex), [2000, 2100])
  assert.match(d.alerts[1].reason, /raised in the refractory period of an earlier alert/)
  let st = new sp.DetectorStream('calibrated')
  const opened = []
  y.forEach((v, i) => {
    if (i === 2050) st = sp.DetectorStream.fromJson(st.toJson())
    const ev = st.push(v)
    if (ev && ev.event === 'opened') opened.push(ev.alert.startIndex)
  })
  assert.deepEqual(opened, [2000, 2100])
  y[2100] = 160 // no stronger than the first: one incident
  assert.deepEqual(sp.detect(y, null, 'calibrated').alerts.map((a) => a.startIndex), [2000])
})

test('a stream takes an export point by point as the batch form does', () => {
  let s = 8
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648 - 0.5
  }
  const t = []
  const v = []
  for (let i = 0; i < 3000; i++) {
    const base = 1.7e9 + 300 * i
    const x = 100 + noise() + (i === 2500 ? 15 : 0)
    if (i % 97 === 0) { t.push(base); v.push(x + 0.5) } // a repeated export
    if (i % 101 === 0) { t.push(base + 120, base); v.push(x - 0.5, x); continue } // a step backwards
    t.push(base); v.push(x)
  }
  const batch = sp.detect(new Float64Array(v), new Float64Array(t), 'calibrated', { season_length: null, aggregate: 'max' })
  const st = new sp.DetectorStream('calibrated', { aggregate: 'max', step: 300 })
  const events = []
  t.forEach((ti, k) => events.push(...st.pushAt(ti, v[k])))
  events.push(...st.flush())
  const opened = events.filter((e) => e.event === 'opened').map((e) => e.alert.time)
  assert.deepEqual(opened, batch.alerts.map((a) => a.time))
  assert.ok(opened.includes(1.7e9 + 300 * 2500))
  assert.deepEqual(st.ingest, { aggregated: batch.ingest.aggregated, outOfOrder: batch.ingest.outOfOrder, late: 0 })
  assert.deepEqual(st.pushAt(t[0], 1), [])
  assert.equal(st.ingest.late, 1)
  assert.deepEqual(sp.DetectorStream.fromJson(st.toJson()).ingest, st.ingest)
  assert.throws(() => new sp.DetectorStream('calibrated', { step: 0 }), { code: 'out_of_range' })
})
