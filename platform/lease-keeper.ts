/**
 * Holds singleton leases for this process (docs/architecture.md, "Roles"): every `renewEveryMs` it renews the
 * leases it holds and tries to take the ones it does not, so work that must run in one process at a time (a
 * supplier's stock polls, scheduled reconciliation) runs in exactly one `jobs` process, and moves on by itself
 * when that process dies.
 *
 * - **Held by our own clock.** `holds(name)` is true only until the last successful acquire/renew's *start* plus
 *   the TTL less a margin: the store's expiry cannot come earlier than that, so a process that cannot reach the
 *   store (or was paused) stops believing it holds the lease before anyone else can get it.
 * - **The fence at the write.** `confirm(name)` asks the store whether this process's grant (its fencing token) is
 *   still the current one; singleton work calls it before it writes.
 * - **Bound on a dead holder.** Its lease expires at most `ttlMs` after its last renewal, and every other process
 *   tries again every `renewEveryMs`: the lease passes on within `ttlMs + renewEveryMs` (plus a round trip).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.ts';
import type { LeaseGrant, LeaseStore } from './ports/lease-store.ts';

export interface LeaseKeeperOptions {
  readonly store: LeaseStore;
  /** Leases this process wants, e.g. `poll:brightline`, `reconcile`. */
  readonly names: readonly string[];
  readonly log: Logger;
  /** How long a lease lasts without a renewal. @default 15000 */
  readonly ttlMs?: number;
  /** How often held leases are renewed and free ones tried. @default ttlMs / 3 */
  readonly renewEveryMs?: number;
  /** This process's holder id. @default `<host>:<pid>:<random>` */
  readonly holder?: string;
  /** Exposes `lease_held{lease}` (1 while held here). */
  readonly metricsRegistry?: Registry;
  /** Told when a lease is lost (renewal refused, or our clock ran past it): work under it should stop. */
  readonly onLost?: (name: string) => void;
}

export interface LeaseKeeper {
  readonly holder: string;
  /** Whether this process holds the lease now, by its own (conservative) clock. */
  holds(name: string): boolean;
  /** Our fencing token for the lease while held, else null. */
  token(name: string): number | null;
  /** The fence before a write: the store still names our grant. False (never throws) when not held or unreachable. */
  confirm(name: string): Promise<boolean>;
  /** Leases held now. */
  held(): string[];
  /** One renew/acquire round now (also what the timer runs). */
  tick(): Promise<void>;
  /** Starts the timer (runs a first round at once). */
  start(): void;
  /** Stops renewing and releases what is held, so another process takes over at once. */
  close(): Promise<void>;
}

interface Held {
  grant: LeaseGrant;
  /** performance.now() until which we count the lease as ours. */
  validUntil: number;
}

export function createLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const ttlMs = options.ttlMs ?? 15_000;
  const renewEveryMs = options.renewEveryMs ?? Math.max(10, Math.floor(ttlMs / 3));
  // Our clock and the store's tick at rates that differ by far less than this.
  const marginMs = Math.max(5, Math.floor(ttlMs / 20));
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = options.log.child({ component: 'leases', holder });
  const held = new Map<string, Held>();
  const registry: Registry | undefined = options.metricsRegistry;
  const gauge = registry
    ? ((registry.getSingleMetric('lease_held') as Gauge<'lease'> | undefined) ??
      new Gauge({ name: 'lease_held', help: 'Singleton leases held by this process (1 = held): who polls which supplier, who reconciles', labelNames: ['lease'], registers: [registry] }))
    : undefined;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const lose = (name: string, why: string) => {
    if (!held.delete(name)) return;
    gauge?.set({ lease: name }, 0);
    log.warn({ lease: name, why }, 'singleton lease lost: its work stops here');
    options.onLost?.(name);
  };
  const current = (name: string): Held | undefined => {
    const entry = held.get(name);
    if (entry === undefined) return undefined;
    if (performance.now() < entry.validUntil) return entry;
    lose(name, 'not renewed in time');
    return undefined;
  };

  async function one(name: string): Promise<void> {
    const started = performance.now();
    const mine = current(name);
    try {
      if (mine !== undefined) {
        if (await options.store.renew(mine.grant, ttlMs)) mine.validUntil = started + ttlMs - marginMs;
        else lose(name, 'renewal refused: the lease expired and passed on');
        return;
      }
      const grant = await options.store.acquire(name, holder, ttlMs);
      if (grant === null || closed) {
        if (grant !== null) await options.store.release(grant);
        return;
      }
      held.set(name, { grant, validUntil: started + ttlMs - marginMs });
      gauge?.set({ lease: name }, 1);
      log.info({ lease: name, token: grant.token }, 'singleton lease taken: this process does its work now');
    } catch (error) {
      // Unreachable store: a held lease stays ours only until validUntil (checked by current()).
      log.warn({ lease: name, err: error }, 'lease store unreachable: could not renew or take the lease');
    }
  }

  const tick = (): Promise<void> => {
    running = running.then(async () => {
      if (closed) return;
      await Promise.all(options.names.map(one));
    });
    return running;
  };

  return {
    holder,
    holds: (name) => current(name) !== undefined,
    token: (name) => current(name)?.grant.token ?? null,
    async confirm(name) {
      const mine = current(name);
      if (mine === undefined) return false;
      try {
        if (await options.store.isCurrent(mine.grant)) return true;
        lose(name, 'the fence check found another holder');
        return false;
      } catch {
        return false;
      }
    },
    held: () => [...held.keys()].filter((name) => current(name) !== undefined),
    tick,
    start() {
      if (timer !== null || closed) return;
      const loop = () => {
        void tick().finally(() => {
          if (!closed) {
            timer = setTimeout(loop, renewEveryMs);
            timer.unref();
          }
        });
      };
      loop();
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      await running.catch(() => {});
      await Promise.allSettled(
        [...held.values()].map(async ({ grant }) => {
          gauge?.set({ lease: grant.name }, 0);
          await options.store.release(grant);
        }),
      );
      held.clear();
    },
  };
}
