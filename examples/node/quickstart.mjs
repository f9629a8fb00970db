// Quickstart: is the one-click checkout ready to scale? (node examples/node/quickstart.mjs)
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const sp = createRequire(import.meta.url)('../../bindings-node/index.js')
const data = (f) => readFileSync(new URL(`../data/${f}`, import.meta.url), 'utf8')

const r = sp.twoProportions({ visitors: 48000, conversions: 4800 }, { visitors: 48500, conversions: 5965 })
console.log(`conversion lift ${(100 * r.relativeLift).toFixed(1)}%, p = ${r.pValue.toExponential(2)}`)

const ready = sp.assessReadiness(data('experiment.json'), data('policy.json'))
console.log('ready to scale:', ready.ready)
for (const reason of ready.reasons) console.log(`  [${reason.passed ? 'pass' : 'FAIL'}] ${reason.rule}: ${reason.message}`)

try {
  sp.twoProportions({ visitors: 100, conversions: 120 }, { visitors: 100, conversions: 10 })
} catch (err) {
  console.log(`rejected: ${err.code}: ${err.message}`)
}
