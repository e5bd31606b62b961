import type { Principal } from '../../platform/auth/principal.ts';
import type { SubscriptionEntry } from './subscription-manifest.ts';

/**
 * The events subscriptions are told about, as they arrive from the event bus (JSON from another process, so
 * checked here, not trusted). The gateway imports no subgraph code and knows no topic of its own: each event's wire
 * shape and filters come from the owning subgraph's subscription manifest (subscription-manifest.ts).
 */

/** `{ tokenId }`: an API token was revoked (published by the stack around the token store's revoke). */
export const TOKEN_REVOKED_TOPIC = 'token.revoked';

/** An event as read: its fields (per the manifest's shape), the entity key, coalescing key and version. */
export interface BusEvent {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly entityKey: string;
  readonly coalesceKey: string;
  readonly version: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event of this entry's topic, or null when it is not of the manifest's shape (dropped, never half-delivered). */
export function readEvent(entry: SubscriptionEntry, payload: unknown): BusEvent | null {
  if (!isRecord(payload)) return null;
  const fields: Record<string, unknown> = { ...entry.constants };
  for (const [name, shape] of Object.entries(entry.event)) {
    const value = payload[name];
    if (value === null || value === undefined) {
      if (!shape.nullable) return null;
      fields[name] = null;
      continue;
    }
    if (shape.type === 'int' ? typeof value !== 'number' || !Number.isInteger(value) : typeof value !== 'string' || (value === '' && !shape.nullable)) return null;
    // An empty optional string reads as absent (as a previous status of '' meant none).
    fields[name] = typeof value === 'string' ? (value === '' ? null : shape.upperCase ? value.toUpperCase() : value) : value;
  }
  return {
    fields,
    entityKey: String(fields[entry.entity.keyFrom]),
    coalesceKey: coalesceKeyOf(entry, fields),
    version: fields[entry.versionField] as number,
  };
}

export const coalesceKeyOf = (entry: SubscriptionEntry, fields: Readonly<Record<string, unknown>>): string => entry.coalesceBy.map((f) => String(fields[f])).join('|');

const numberOr0 = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * Whether a subscriber with these arguments (and credential) hears this event, by the entry's filters; with
 * `snapshot`, only the filters marked to apply to a snapshot row (what is watched, not what changed).
 */
export function eventMatches(
  entry: SubscriptionEntry,
  fields: Readonly<Record<string, unknown>>,
  args: Readonly<Record<string, unknown>>,
  principal: Pick<Principal, 'tenant' | 'suppliers'>,
  snapshot = false,
): boolean {
  for (const f of entry.filters) {
    if (snapshot && !f.snapshot) continue;
    switch (f.kind) {
      case 'oneOf': {
        const list = args[f.argument];
        if (Array.isArray(list) && !list.includes(fields[f.field])) return false;
        break;
      }
      case 'equals': {
        const want = args[f.argument];
        if (want != null && want !== fields[f.field]) return false;
        break;
      }
      case 'minChange': {
        const min = args[f.argument];
        if (typeof min === 'number' && Math.abs(numberOr0(fields[f.to]) - numberOr0(fields[f.from])) < min) return false;
        break;
      }
      case 'crossingZero': {
        if (args[f.argument] === true && numberOr0(fields[f.from]) > 0 === numberOr0(fields[f.to]) > 0) return false;
        break;
      }
      case 'principalTenant':
        if (fields[f.field] !== principal.tenant) return false;
        break;
      case 'principalSuppliers':
        if (principal.suppliers !== undefined && !principal.suppliers.includes(fields[f.field] as string)) return false;
        break;
    }
  }
  return true;
}

/** The revoked token's id from a `token.revoked` payload, or null. */
export function readTokenRevoked(payload: unknown): string | null {
  return isRecord(payload) && typeof payload['tokenId'] === 'string' && payload['tokenId'] !== '' ? payload['tokenId'] : null;
}
