/**
 * @apollo/gateway's deepMerge (utilities/deepMerge.js), same semantics, in place, without a property-definition
 * call per key: a key Object.prototype also has (`constructor`, `toString`…) is first made an own property, as
 * Apollo's `defineOwn` does, so an inherited value is never merged into; every other key is assigned directly.
 */
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const defineOwn = (target: Record<string, unknown>, key: string): void => {
  if (!Object.prototype.hasOwnProperty.call(target, key) && key in target) {
    Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
  }
};

export function mergeInto(target: Record<string, unknown>, source: unknown): void {
  if (source === undefined || source === null) return;
  const from = source as Record<string, unknown>;
  for (const key in from) {
    if (!Object.prototype.hasOwnProperty.call(from, key)) continue;
    const value = from[key];
    if (value === undefined) continue;
    if (key in Object.prototype) defineOwn(target, key);
    const existing = target[key];
    if (existing && isObject(value)) {
      mergeInto(existing as Record<string, unknown>, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        const into = existing[i];
        const item = value[i];
        if (isObject(into) && isObject(item)) mergeInto(into, item);
        else existing[i] = item;
      }
    } else {
      target[key] = value;
    }
  }
}
