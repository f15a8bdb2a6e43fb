import type { RequestHandler } from 'express';
import { defaultMessage, errorBody } from './http.ts';
import type { FaultSpec } from './types.ts';

/** Faults to answer instead of the real routes: the next N matching calls fail as told. */
export interface Faults {
  add(spec: FaultSpec): void;
  clear(): void;
  /** Faults not yet used up. */
  pending(): FaultSpec[];
  middleware: RequestHandler;
}

interface Armed {
  readonly spec: FaultSpec;
  readonly pattern: RegExp;
  remaining: number;
}

export function createFaults(onFault: (res: Parameters<RequestHandler>[1]) => void): Faults {
  let armed: Armed[] = [];
  const take = (method: string, path: string): Armed | undefined => {
    const found = armed.find((a) => (a.spec.method === undefined || a.spec.method.toUpperCase() === method) && a.pattern.test(path));
    if (found === undefined) return undefined;
    found.remaining -= 1;
    armed = armed.filter((a) => a.remaining > 0);
    return found;
  };
  return {
    add(spec) {
      if (spec.drop !== true && spec.status === undefined && spec.delayMs === undefined) {
        throw new Error('a fault needs a status, drop: true or delayMs');
      }
      armed.push({ spec, pattern: pathPattern(spec.path), remaining: spec.times ?? 1 });
    },
    clear: () => void (armed = []),
    pending: () => armed.map((a) => ({ ...a.spec, times: a.remaining })),
    middleware(req, res, next) {
      const fault = take(req.method, req.path);
      if (fault === undefined) return next();
      const { spec } = fault;
      const act = () => {
        if (spec.drop !== true && spec.status === undefined) return next();
        onFault(res);
        if (spec.drop === true || spec.status === undefined) return void req.socket.destroy();
        res.status(spec.status).set(spec.headers ?? {});
        if (spec.status === 204 || spec.status === 304) return void res.end();
        res.json(spec.body ?? errorBody(spec.status, defaultMessage(spec.status)));
      };
      if (spec.delayMs === undefined) return act();
      setTimeout(act, spec.delayMs);
    },
  };
}

/** `/orgs/:org/x`, `/orgs/{org}/x` and `*` become a whole-path regular expression. */
export function pathPattern(path: string): RegExp {
  const parts = path.split(/(:[A-Za-z_]\w*|\{[^}]+\}|\*)/);
  const source = parts
    .map((part) => {
      if (part === '*') return '.*';
      if (/^(:[A-Za-z_]\w*|\{[^}]+\})$/.test(part)) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}
