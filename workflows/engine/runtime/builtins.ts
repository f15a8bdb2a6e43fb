import { taggedError, typeError, valueError } from '../errors.ts';
import { isMap, isNumber, newMap, numberOf, typeName, type Value, type ValueMap } from '../values.ts';
import { callHttp } from './builtin-http.ts';
import type { CallbackRequest } from './callbacks.ts';
import type { ExecutionRuntime } from './runtime.ts';

// events.await_callback waits 43200 s (12 hours) unless told otherwise.
const defaultCallbackTimeoutSeconds = 43_200;
const callbackMethods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];

/** The call-only functions: HTTP, `sys.sleep` and the callback pair of `events`. */
export function callBuiltin(name: string, args: ValueMap, rt: ExecutionRuntime): Value | Promise<Value> {
  if (name.startsWith('http.')) return callHttp(name, args, rt);
  if (name === 'sys.sleep') return sleep(args['seconds'] ?? null, rt);
  if (name === 'events.create_callback_endpoint') return createCallback(args['http_callback_method'] ?? 'POST', rt);
  if (name === 'events.await_callback') return awaitCallback(args, rt);
  throw typeError(`unknown function ${name}`);
}

async function sleep(seconds: Value, rt: ExecutionRuntime): Promise<null> {
  if (!isNumber(seconds)) throw typeError(`sys.sleep: seconds must be a number, not '${typeName(seconds)}'`);
  if (numberOf(seconds) < 0) throw valueError('sys.sleep: seconds must not be negative');
  await rt.effects.sleep(numberOf(seconds) * 1000, rt.signal);
  return null;
}

function createCallback(method: Value, rt: ExecutionRuntime): Value {
  if (typeof method !== 'string' || !callbackMethods.includes(method.toUpperCase())) {
    throw valueError(`events.create_callback_endpoint: http_callback_method must be one of ${callbackMethods.join(', ')}`);
  }
  const id = rt.callbacks.create(method.toUpperCase());
  return newMap([['url', rt.callbackUrl(id)]]);
}

// Not async: one frame less for every execution parked here.
function awaitCallback(args: ValueMap, rt: ExecutionRuntime): Promise<Value> {
  const callback = args['callback'] ?? null;
  const url = isMap(callback) ? callback['url'] : undefined;
  if (typeof url !== 'string') throw typeError('events.await_callback: callback must be the map create_callback_endpoint returned');
  const id = url.slice(url.lastIndexOf('/') + 1);
  if (!rt.callbacks.has(id)) throw valueError(`events.await_callback: ${url} is not a callback endpoint of this execution`);
  const timeout = args['timeout'] ?? defaultCallbackTimeoutSeconds;
  if (!isNumber(timeout) || numberOf(timeout) < 0) throw typeError('events.await_callback: timeout must be a number of seconds');
  return rt.effects.awaitCallback(id, numberOf(timeout) * 1000, rt.signal).then((request) => {
    if (!request) throw taggedError('TimeoutError', `timed out after ${numberOf(timeout)} seconds waiting for a callback`);
    return callbackValue(request);
  });
}

function callbackValue(request: CallbackRequest): Value {
  const httpRequest = newMap([
    ['body', request.body],
    ['headers', request.headers],
    ['method', request.method],
    ['query', request.query],
    ['url', request.url],
  ]);
  return newMap([
    ['http_request', httpRequest],
    ['received_time', new Date(request.receivedTime).toISOString()],
    ['type', 'HTTP'],
  ]);
}
