// The Node boundary: numeric arrays as Float64Array or plain arrays, typed errors naming the argument
// instead of napi's own codes, and times as new Date().toISOString() writes them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sp } from './helpers.mjs'

const NAPI_CODES = ['InvalidArg', 'NumberExpected', 'ObjectExpected', 'StringExpected', 'GenericFailure', 'ArrayExpected']

test('array arguments take plain arrays of numbers, with the same results', () => {
  assert.deepEqual(Array.from(sp.holm([0.01, 0.04, 0.03])), Array.from(sp.holm(new Float64Array([0.01, 0.04, 0.03]))))
  assert.deepEqual(Array.from(sp.benjaminiHochberg([0.01, 0.2])), Array.from(sp.benjaminiHochberg(new Float64Array([0.01, 0.2]))))
  const plain = sp.twoProportionsBatch([1000, 2000], [100, 210], [1000, 2000], [120, 190])
  const typed = sp.twoProportionsBatch(...[[1000, 2000], [100, 210], [1000, 2000], [120, 190]].map((a) => new Float64Array(a)))
  assert.deepEqual(Array.from(plain.pValue), Array.from(typed.pValue))
  assert.deepEqual(Array.from(sp.sequentialBatch([0.01], [0.003], [20000])), Array.from(sp.sequentialBatch(new Float64Array([0.01]), new Float64Array([0.003]), new Float64Array([20000]))))
  const y = Array.from({ length: 60 }, (_, i) => 100 + (i % 5))
  y[50] = 400
  assert.deepEqual(Array.from(sp.detect(y).flags), Array.from(sp.detect(new Float64Array(y)).flags))
  assert.equal(sp.growthRate([100, 110, 121, 133.1]).rate.toFixed(6), sp.growthRate(new Float64Array([100, 110, 121, 133.1])).rate.toFixed(6))
  assert.deepEqual(Array.from(sp.minServersBatch([50, 100], 0.05, 'service_level_at_least', 0.8, 0.02)), Array.from(sp.minServersBatch(new Float64Array([50, 100]), 0.05, 'service_level_at_least', 0.8, 0.02)))
  const stream = new sp.DetectorStream('ewma')
  assert.ok(Array.isArray(stream.extend([1, 2, 3])))
})

test('a wrong array is a typed error naming the argument or element, never a napi code', () => {
  const cases = [
    [() => sp.holm('0.1'), 'wrong_type', '`p_values` must be a Float64Array or an array of numbers, got a value of type `string`'],
    [() => sp.holm([0.1, '0.2']), 'wrong_type', '`p_values[1]` must be a number, got a value of type `string`'],
    [() => sp.holm(new Float32Array([0.1])), 'wrong_type', '`p_values` must be a Float64Array or an array of numbers'],
    [() => sp.holm(), 'wrong_type', 'got a value of type `undefined`'],
    [() => sp.detect({ length: 3 }), 'wrong_type', '`values` must be a Float64Array'],
    [() => sp.twoProportionsBatch([1], [0], [1], null), 'wrong_type', '`treatment_conversions`'],
    [() => sp.forecast([1, 2, NaN, 'x'], 3), 'wrong_type', '`values[3]`']
  ]
  for (const [f, code, text] of cases) {
    assert.throws(f, (e) => {
      assert.ok(!NAPI_CODES.includes(e.code), e.code)
      assert.equal(e.code, code, e.message)
      assert.ok(e.message.includes(text), e.message)
      return true
    })
  }
})

test('times from new Date().toISOString() (milliseconds) are accepted; the fraction is dropped', () => {
  const start = new Date(Date.UTC(2025, 5, 2, 0, 0, 0, 0)).toISOString()
  const end = new Date(Date.UTC(2025, 5, 2, 0, 5, 0, 250)).toISOString()
  assert.equal(end, '2025-06-02T00:05:00.250Z')
  const w = { start, end, requests: 2000, errors: 0, p95Ms: 320 }
  assert.equal(sp.windowStatus(w), 'good')
})

test('no napi status code reaches a user: scalar, object and constructor arguments too', async () => {
  const cases = [
    [() => sp.sequential('x', 0.1, 100), '`sequential`'],
    [() => sp.twoProportions({ visitors: 'a', conversions: 1 }, { visitors: 10, conversions: 1 }), 'ProportionArm.visitors'],
    [() => sp.welch(5, { n: 1 }), '`welch`'],
    [() => new sp.RolloutService(5), '`new RolloutService`'],
    [() => sp.DetectorStream.fromJson(5), '`DetectorStream.fromJson`']
  ]
  for (const [f, where] of cases) {
    assert.throws(f, (e) => e instanceof Error && e.code === 'wrong_type' && e.message.includes(where) && NAPI_CODES.includes(e.cause.code))
  }
  // A Promise method's napi argument error comes back the same way.
  const svc = new sp.RolloutService(null)
  assert.ok(svc instanceof sp.RolloutService)
  await assert.rejects(async () => svc.create(42, sp.rolloutPlan(), { id: 'c', role: 'operations_manager' }, '2025-06-02T00:00:00Z'),
    (e) => e.code === 'wrong_type' && e.message.includes('`RolloutService.create`'))
  // scaleplan's own errors pass unchanged.
  assert.throws(() => sp.holm([2]), (e) => e.code === 'out_of_range')
})
