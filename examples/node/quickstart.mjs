// Quickstart: is the one-click checkout ready to scale? (node examples/node/quickstart.mjs)
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const sp = createRequire(import.meta.url)('../../bindings-node')
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

// Scale-up estimate: money is a decimal string in and out
const catalog = sp.loadCatalog(data('catalog.toml'))
const request = JSON.parse(data('estimate.json')).request
request.lift = { low: r.relativeCi.lo, expected: r.relativeLift, high: r.relativeCi.hi }
const est = sp.estimate(request, catalog)
for (const line of est.totals.lineTotals) console.log(`  ${line.name.padEnd(46)} ${line.total.padStart(10)} ${est.currency}`)
console.log(`one-time ${est.totals.oneTime}, monthly ${est.totals.monthly}, first year ${est.totals.firstYear} ${est.currency}`)
const fit = sp.uslFit([1, 18, 36, 72, 108, 144, 216], [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2])
console.log(`USL: sigma ${fit.sigma.toFixed(4)}, kappa ${fit.kappa.toExponential(2)}, peak at N* = ${fit.peakConcurrency.toFixed(0)}`)
const { decision } = sp.hpaScale({ minReplicas: 2, maxReplicas: 40 }, 0, 10, 50)
console.log(`HPA: ${decision.replicas} replicas (${decision.reason})`)
