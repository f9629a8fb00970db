import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sp, ROOT } from './helpers.mjs'

const read = (p) => readFileSync(join(ROOT, p), 'utf8')
const canonical = (name) => read(`testdata/json/${name}`).trimEnd()

test('canonical JSON bytes equal Rust and Python', () => {
  const experiment = read('examples/data/experiment.json')
  const policy = read('examples/data/policy.json')
  assert.equal(sp.canonicalJson('experiment', experiment), canonical('experiment.canonical.json'))
  assert.equal(sp.canonicalJson('policy', policy), canonical('policy.canonical.json'))
  assert.equal(sp.assessReadinessJson(experiment, policy), canonical('readiness.canonical.json'))
})

test('readiness as a plain object', () => {
  const r = sp.assessReadiness(JSON.parse(read('examples/data/experiment.json')), JSON.parse(read('examples/data/policy.json')))
  assert.equal(r.ready, true)
  assert.deepEqual(r.reasons.map((x) => x.rule), ['sample_ratio', 'min_sample', 'min_runtime', 'primary_metric', 'guardrail'])
  assert.equal(r.verdicts[0].verdict, 'win')
})
