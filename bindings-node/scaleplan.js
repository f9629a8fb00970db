'use strict'
// The package's entry point: the generated native module (index.js), with napi's own argument errors
// (InvalidArg, NumberExpected, StringExpected, ...) turned into scaleplan's typed error: code
// `wrong_type` (an invalid input), the function named, napi's description of the value kept (it names
// the field of an object argument, e.g. `ProportionArm.visitors`). Error mapping only: no rules, no
// defaults (DESIGN rule 6). It also bridges a host's deployer object to the native service (below). Every scaleplan error already has a snake_case code and passes unchanged.
const native = require('./index.js')

const NAPI_STATUS = new Set([
  'InvalidArg', 'ObjectExpected', 'StringExpected', 'NameExpected', 'FunctionExpected', 'NumberExpected',
  'BooleanExpected', 'ArrayExpected', 'GenericFailure', 'PendingException', 'Cancelled', 'EscapeCalledTwice',
  'HandleScopeMismatch', 'CallbackScopeMismatch', 'QueueFull', 'Closing', 'BigintExpected', 'DateExpected',
  'ArrayBufferExpected', 'DetachableArraybufferExpected', 'WouldDeadlock', 'NoExternalBuffersAllowed', 'Unknown'
])

function remap (name, e) {
  if (e instanceof Error && NAPI_STATUS.has(e.code)) {
    const err = new Error(`\`${name}\`: an argument has the wrong type: ${e.message}`, { cause: e })
    err.code = 'wrong_type'
    return err
  }
  return e
}

function wrap (name, f) {
  const wrapped = function (...args) {
    let out
    try {
      out = new.target ? Reflect.construct(f, args, new.target) : f.apply(this, args)
    } catch (e) {
      throw remap(name, e)
    }
    if (out instanceof Promise) return out.catch((e) => { throw remap(name, e) })
    return out
  }
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped
}

// Classes whose every method returns a Promise: an argument napi refuses before the call starts
// rejects the Promise instead of throwing (a Promise method never throws).
const PROMISE_CLASSES = new Set(['RolloutService'])

function rejecting (f) {
  const r = function (...args) {
    try {
      return f.apply(this, args)
    } catch (e) {
      return Promise.reject(e)
    }
  }
  Object.defineProperty(r, 'name', { value: f.name })
  return r
}

// A host's deployer object as the one bridge function the native service calls from its worker threads:
// it takes the core's PlatformCall (JSON) and always resolves, to `{"ok": answer}` or `{"error": why}`,
// so that a thrown error or a rejection reaches the core as its `deploy` error. Conversion only.
function deployerBridge (d) {
  for (const m of ['apply', 'actual', 'rollback']) {
    if (typeof d[m] !== 'function') {
      const err = new Error(`\`new RolloutService\`: options.deployer has no method \`${m}\``)
      err.code = 'wrong_type'
      throw err
    }
  }
  const name = typeof d.name === 'string' && d.name.trim() !== ''
    ? d.name
    : (d.constructor && d.constructor !== Object ? d.constructor.name : 'deployer')
  const bridge = (request) => {
    let answer
    try {
      const r = JSON.parse(request)
      if (r.method === 'apply') answer = d.apply(r.rollout_id, r.target, r.traffic_pct, r.now)
      else if (r.method === 'actual') answer = d.actual(r.rollout_id, r.target)
      else answer = d.rollback(r.rollout_id, r.targets, r.now)
    } catch (e) {
      answer = Promise.reject(e)
    }
    return Promise.resolve(answer).then(
      (v) => JSON.stringify({ ok: v === undefined ? null : v }),
      (e) => JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) })
    )
  }
  return { name, bridge }
}

function constructArgs (name, args) {
  if (name !== 'RolloutService') return args
  const [path, options] = args
  if (options && typeof options === 'object' && options.deployer != null) {
    const { deployer, ...rest } = options
    const { name: deployerName, bridge } = deployerBridge(deployer)
    return [path, rest, bridge, deployerName]
  }
  return [path, options]
}

function wrapClass (name, C) {
  for (const key of Object.getOwnPropertyNames(C.prototype)) {
    const d = Object.getOwnPropertyDescriptor(C.prototype, key)
    if (key !== 'constructor' && typeof d.value === 'function' && d.configurable) {
      let f = wrap(`${name}.${key}`, d.value)
      if (PROMISE_CLASSES.has(name)) f = rejecting(f)
      Object.defineProperty(C.prototype, key, { ...d, value: f })
    }
  }
  // napi defines static factories (`fromJson`) read-only: they are wrapped here and served by the Proxy.
  const statics = {}
  for (const key of Object.getOwnPropertyNames(C)) {
    const d = Object.getOwnPropertyDescriptor(C, key)
    if (typeof d.value === 'function') statics[key] = wrap(`${name}.${key}`, d.value)
  }
  // A Proxy over a plain function (so that nothing of the native class's own read-only properties
  // constrains it): `new`, statics and `prototype` (hence `instanceof`) go to the native class.
  const shim = function () {}
  Object.defineProperty(shim, 'name', { value: C.name })
  return new Proxy(shim, {
    construct (_target, args) {
      try {
        return Reflect.construct(C, constructArgs(name, args))
      } catch (e) {
        throw remap(`new ${name}`, e)
      }
    },
    get (_target, key) {
      if (key === 'prototype') return C.prototype
      if (Object.prototype.hasOwnProperty.call(statics, key)) return statics[key]
      return Reflect.get(C, key)
    }
  })
}

for (const [key, value] of Object.entries(native)) {
  if (typeof value !== 'function') {
    module.exports[key] = value
  } else if (/^[A-Z]/.test(key) && value.prototype) {
    module.exports[key] = wrapClass(key, value)
  } else if (key.endsWith('Async')) {
    module.exports[key] = rejecting(wrap(key, value))
  } else {
    module.exports[key] = wrap(key, value)
  }
}
