import type { FaultKind, FaultRule, SimCall } from './sim-types.ts';

interface ArmedFault {
  readonly rule: FaultRule;
  remaining: number;
}

/** The fault-injection API of the simulator: rules armed by tests, consumed by matching calls in order. */
export interface Faults {
  /** Arms a rule; it hits the next `times` (default 1) matching calls. */
  inject(rule: FaultRule): void;
  /** Disarms every rule. */
  clear(): void;
  /** The rules still armed, with what is left of their `times`. */
  pending(): FaultRule[];
}

export interface FaultRegistry extends Faults {
  /** The fault for this call, if one is armed; consumes one of its `times`. */
  take(call: SimCall, zone: string | undefined, name: string | undefined, accept?: ReadonlySet<FaultKind>, filter?: string): FaultKind | null;
}

export function createFaultRegistry(): FaultRegistry {
  let armed: ArmedFault[] = [];
  return {
    inject(rule) {
      armed.push({ rule, remaining: rule.times ?? 1 });
    },
    clear() {
      armed = [];
    },
    pending() {
      return armed.map(({ rule, remaining }) => ({ ...rule, times: remaining }));
    },
    take(call, zone, name, accept, filter) {
      const fault = armed.find(({ rule }) =>
        rule.call === call &&
        (rule.zone === undefined || rule.zone === zone) &&
        (rule.name === undefined || rule.name === name) &&
        (rule.filter === undefined || (filter ?? '').includes(rule.filter)) &&
        (accept === undefined || accept.has(rule.kind)),
      );
      if (!fault) return null;
      fault.remaining -= 1;
      if (fault.remaining <= 0) armed = armed.filter((candidate) => candidate !== fault);
      return fault.rule.kind;
    },
  };
}
