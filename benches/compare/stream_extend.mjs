// DetectorStream.extend through the Node binding: points per second, and alert events returned.
//
// Run: node benches/compare/stream_extend.mjs [N]   (a release build: npx napi build --platform --release)
//
// The same series as benches/compare/stream_extend.py (see there): four uniforms a point from a 32-bit
// hash of the index, about N(100, 5), every 100th point missing (NaN). Best of 3 runs, each on a fresh
// stream.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const sp = require('../../bindings-node')

const n = Number(process.argv[2] ?? 2_000_000)
const x = new Float64Array(n)
// lowbias32: a 32-bit integer hash of the index, as numpy computes it in the Python script.
const hash = (i) => {
  let h = i >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d) >>> 0
  h ^= h >>> 15
  h = Math.imul(h, 0x846ca68b) >>> 0
  h ^= h >>> 16
  return h >>> 0
}
for (let i = 0; i < n; i++) {
  let sum = 0
  for (let k = 0; k < 4; k++) sum += hash(4 * i + k) / 4294967296
  x[i] = i % 100 === 99 ? NaN : 100 + 8.66 * (sum - 2)
}
const detectors = [
  ['threshold', { threshold: 150, duration: 3 }],
  ['baseline_ratio', { window: 288 }],
  ['ewma', { lambda: 0.2, target: 100, sigma: 5 }],
  ['robust_z', { window: 50 }],
]
console.log(`DetectorStream.extend, ${n.toLocaleString('en')} points, best of 3`)
for (const [name, params] of detectors) {
  let best = Infinity
  let events = 0
  for (let r = 0; r < 3; r++) {
    const s = new sp.DetectorStream(name, params)
    const t = process.hrtime.bigint()
    events = s.extend(x).length
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9)
  }
  console.log(`${name.padEnd(16)} ${(n / best / 1e6).toFixed(1).padStart(8)} M points/s  ${String(events).padStart(7)} events`)
}
