import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import type { PricingRuleRecord, PricingRuleStore } from '../../platform/ports/pricing-rule-store.ts';
import { effectiveRules, ruleId, validateRule, type PricingRule } from './rules.ts';

/** Published after every change of a stored rule; every process drops its rules and reads them again. */
export const PRICING_CHANGED_TOPIC = 'pricing.changed';

export interface PricingChangedEvent {
  readonly type: 'pricing.changed';
  /** The rule changed (`<scope>:<key>`). */
  readonly ruleId: string;
  readonly change: 'set' | 'deleted';
}

/**
 * A configured rule (PRICING_RULES) or a stored one, as the graph lists them. `source` tells which: a stored rule
 * replaces the configured one of the same id.
 */
export type ListedRule = PricingRule & { readonly id: string; readonly source: 'configuration' | 'graph'; readonly updatedAt: string | null; readonly updatedBy: string | null };

export interface RuleSource {
  /** The rules in force: configured ones overlaid by stored ones. Cached per process until a change (module comment). */
  current(): Promise<readonly PricingRule[]>;
  /** Every rule with where it comes from, ordered by id (admins). */
  list(): Promise<ListedRule[]>;
  /** Stores a rule (validated; INVALID_INPUT otherwise), audits it and tells every process. `actor`: auditActorOf. */
  set(rule: PricingRule, actor: string | null, requestId?: string): Promise<ListedRule>;
  /** Deletes a stored rule (a configured one of the same id applies again); false when none was stored. */
  remove(scope: PricingRule['scope'], key: string, actor?: string | null, requestId?: string): Promise<boolean>;
  /** Subscribes to changes; resolves once live. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface RuleSourceOptions {
  readonly store: PricingRuleStore;
  /** PRICING_RULES (validated again here: one definition of a valid rule). */
  readonly configured: readonly PricingRule[];
  readonly events: EventBus;
  readonly log: Logger;
  /** Rule changes are admin actions: `admin.action` on `pricing_rule:<id>` (docs/security.md "Audit log"). */
  readonly audit?: Pick<AuditLog, 'record'>;
  /** Rules are read again at the latest this long after they were read, should a change event be lost. @default 60_000 */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

const toRule = (r: PricingRuleRecord): PricingRule => ({ scope: r.scope, key: r.key, markupPercent: r.markupPercent, markupFixed: r.markupFixed, minMarginPercent: r.minMarginPercent, rounding: r.rounding });

/**
 * The rules of one process. They are read from the store once and kept, because every priced product needs them; a
 * change through `set`/`remove` drops them here at once and, through `pricing.changed` on the event bus, in every
 * other process (the bus delivers at most once, so a gap in the bus, or `maxAgeMs`, drops them too). The next
 * query after a change therefore prices with the new rules, in any process.
 */
export function createRuleSource(options: RuleSourceOptions): RuleSource {
  const { store, events, log } = options;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const configured = options.configured.map(validateRule);
  /** Bumped by every invalidation, so a read that started before one is not kept after it. */
  let generation = 0;
  let cached: { rules: readonly PricingRule[]; at: number; generation: number } | null = null;
  let inFlight: { promise: Promise<readonly PricingRule[]>; generation: number } | null = null;
  const stops: (() => Promise<void> | void)[] = [];

  const invalidate = () => {
    generation += 1;
    cached = null;
    inFlight = null;
  };

  async function load(): Promise<readonly PricingRule[]> {
    const at = generation;
    const rules = Object.freeze(effectiveRules(configured, (await store.list()).map(toRule)));
    if (at === generation) cached = { rules, at: now(), generation: at };
    return rules;
  }

  async function announce(id: string, change: PricingChangedEvent['change'], actor: string | null, requestId: string | undefined): Promise<void> {
    invalidate();
    // After the write, like the token service: the change stands; a failing audit store fails the admin's call.
    await options.audit?.record({ actor: actor ?? 'system', action: 'admin.action', outcome: 'success', target: `pricing_rule:${id}`, requestId: requestId ?? null });
    const event: PricingChangedEvent = { type: 'pricing.changed', ruleId: id, change };
    await events.publish(PRICING_CHANGED_TOPIC, event).catch((error: unknown) =>
      log.warn({ err: error, ruleId: id }, `could not publish ${PRICING_CHANGED_TOPIC}: other processes price with the old rules for up to ${maxAgeMs} ms`),
    );
  }

  return {
    async current() {
      if (cached !== null && cached.generation === generation && now() - cached.at < maxAgeMs) return cached.rules;
      if (inFlight === null || inFlight.generation !== generation) {
        const promise = load();
        inFlight = { promise, generation };
        promise.catch(() => undefined).finally(() => {
          if (inFlight?.promise === promise) inFlight = null;
        });
      }
      return inFlight.promise;
    },

    async list() {
      const stored = await store.list();
      const byId = new Map<string, ListedRule>();
      for (const r of configured) byId.set(ruleId(r), { ...r, id: ruleId(r), source: 'configuration', updatedAt: null, updatedBy: null });
      for (const r of stored) byId.set(r.id, { ...toRule(r), id: r.id, source: 'graph', updatedAt: r.updatedAt, updatedBy: r.updatedBy });
      return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async set(input, actor, requestId) {
      const rule = validateRule(input);
      const record: PricingRuleRecord = {
        id: ruleId(rule),
        scope: rule.scope,
        key: rule.key,
        markupPercent: rule.markupPercent ?? null,
        markupFixed: rule.markupFixed ?? null,
        minMarginPercent: rule.minMarginPercent ?? null,
        rounding: rule.rounding ?? null,
        updatedAt: new Date(now()).toISOString(),
        updatedBy: actor,
      };
      await store.put(record);
      await announce(record.id, 'set', actor, requestId);
      return { ...toRule(record), id: record.id, source: 'graph', updatedAt: record.updatedAt, updatedBy: record.updatedBy };
    },

    async remove(scope, key, actor = null, requestId) {
      const id = ruleId({ scope, key: scope === 'default' ? '' : key.trim() });
      const removed = await store.remove(id);
      if (removed) await announce(id, 'deleted', actor, requestId);
      return removed;
    },

    async start() {
      stops.push(await events.subscribe(PRICING_CHANGED_TOPIC, () => invalidate()));
      stops.push(events.onGap(() => invalidate()));
    },

    async close() {
      for (const stop of stops.splice(0)) await stop();
    },
  };
}
