/**
 * MongoDB and Redis calls as client spans (docs/operations.md, "Traces"): every method of every store port, wrapped
 * once where the stack opens its stores. Explicit spans at the port rather than the drivers' auto-instrumentation
 * packages: ours are ESM loaded by tsx, which those packages' require hooks do not see, and a port call ("stock
 * applyReport") is the unit an operator reads; the driver's own commands would add depth, not answers.
 * Tracing off: the stores are returned untouched (no proxy, no cost). A span is made only under a recording parent,
 * so background loops that are not traced make none. Arguments and results are never recorded.
 */
import { inSpan, SpanKind, tracingActive } from './spans.ts';

export type StoreSystem = 'mongodb' | 'redis' | 'memory';

function tracePort<T extends object>(port: T, name: string, system: StoreSystem): T {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let wrapper = wrappers.get(prop);
      if (wrapper === undefined) {
        const attributes = { 'db.system': system, 'db.collection.name': name, 'db.operation.name': prop };
        const spanName = `${system} ${name}.${prop}`;
        wrapper = (...args: unknown[]) => inSpan(spanName, attributes, () => (value as (...a: unknown[]) => unknown).apply(target, args), SpanKind.CLIENT);
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
}

/**
 * The same stores with each port named in `systems` traced as that system's calls; other members (mode, health,
 * close) as they are.
 */
export function traceStores<T extends object>(stores: T, systems: Readonly<Partial<Record<keyof T & string, StoreSystem>>>): T {
  if (!tracingActive()) return stores;
  const traced = { ...stores } as Record<string, unknown>;
  for (const [name, system] of Object.entries(systems) as [string, StoreSystem][]) {
    const port = traced[name];
    if (typeof port === 'object' && port !== null) traced[name] = tracePort(port, name, system);
  }
  return traced as T;
}
