'use strict'
// The package's entry point: the generated native module (index.js), with napi's own argument errors
// (InvalidArg, NumberExpected, StringExpected, ...) turned into scaleplan's typed error: code
// `wrong_type` (an invalid input), the function named, napi's description of the value kept (it names
// the field of an object argument, e.g. `ProportionArm.visitors`). Error mapping only: no rules, no
// defaults (DESIGN rule 6). Every scaleplan error already has a snake_case code and passes unchanged.
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

function wrapClass (name, C) {
  for (const key of Object.getOwnPropertyNames(C.prototype)) {
    const d = Object.getOwnPropertyDescriptor(C.prototype, key)
    if (key !== 'constructor' && typeof d.value === 'function' && d.configurable) {
      Object.defineProperty(C.prototype, key, { ...d, value: wrap(`${name}.${key}`, d.value) })
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
        return Reflect.construct(C, args)
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
  } else {
    module.exports[key] = wrap(key, value)
  }
}
