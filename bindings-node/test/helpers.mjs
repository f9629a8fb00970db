import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const sp = createRequire(import.meta.url)('..') // the package's entry: scaleplan.js
export const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'testdata', name), 'utf8'))
export const close = (a, e, tol) => (e === null ? a === null || a === undefined : Math.abs(a - e) <= tol.abs + tol.rel * Math.abs(e))
export const num = (v) => ({ NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity })[v] ?? v
