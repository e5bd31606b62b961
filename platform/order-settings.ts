import { z } from 'zod';
import { isLoopbackHost, TENANT_PATTERN } from './auth/principal.ts';
import { jsonSetting } from './json-setting.ts';

/**
 * Settings of docs/orders.md, parsed for platform/config.ts: the routing policy and the merchant endpoints of
 * outbound order webhooks. Messages never echo a value (endpoint secrets are secrets).
 */

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CRITERIA = ['priority', 'lowest_cost'] as const;
const DECIMAL = /^\d{1,9}(\.\d{1,4})?$/;

/** `ORDER_ROUTING_POLICY` as JSON; every key optional, and the defaults are the built-in policy (routing.ts). */
const routingPolicy = z
  .object({
    strategy: z.union([z.enum(CRITERIA), z.array(z.enum(CRITERIA)).min(1).max(CRITERIA.length)]).optional(),
    supplierPriority: z.array(z.string().regex(SLUG, 'a supplier slug')).max(50).optional(),
    allowSubstitution: z.boolean().optional(),
    allowSplit: z.boolean().optional(),
    shippingCost: z.record(z.string().regex(SLUG, 'a supplier slug'), z.string().regex(DECIMAL, 'a decimal string such as "4.95"')).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (Array.isArray(p.strategy) && new Set(p.strategy).size !== p.strategy.length) ctx.addIssue({ code: 'custom', path: ['strategy'], message: 'lists a criterion twice' });
    if (p.supplierPriority && new Set(p.supplierPriority).size !== p.supplierPriority.length) ctx.addIssue({ code: 'custom', path: ['supplierPriority'], message: 'lists a supplier twice' });
  });

/** What the routing policy setting yields: a partial policy, merged over routing.ts's defaults by the stack. */
export interface RoutingPolicySetting {
  readonly strategy?: 'priority' | 'lowest_cost' | readonly ('priority' | 'lowest_cost')[];
  readonly supplierPriority?: readonly string[];
  /** routing.ts `inStockFirst`: a supplier covering the whole line may replace a preferred one that cannot. */
  readonly inStockFirst?: boolean;
  readonly allowSplit?: boolean;
  readonly shippingCost?: Readonly<Record<string, string>>;
}

/** A `whsec_` secret: base64 of 24..64 random bytes (Standard Webhooks). */
const whsec = z.string().refine((s) => {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s)) return false;
  const bytes = Buffer.from(s.slice('whsec_'.length), 'base64').length;
  return bytes >= 24 && bytes <= 64;
}, 'must be whsec_ followed by base64 of 24 to 64 random bytes');

/** Merchant endpoints: https, or http to a loopback receiver (a local development merchant). */
const endpointUrl = z
  .string()
  .url()
  .refine((raw) => {
    const u = new URL(raw);
    return u.username === '' && u.password === '' && (u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname)));
  }, 'must be https:// (http:// only to a loopback host) without credentials');

const endpoint = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '1-64 letters, digits, _ . -'),
    tenant: z.string().regex(TENANT_PATTERN, 'a tenant id'),
    url: endpointUrl,
    /** One secret, or several during a rotation: each signs, so the receiver may verify with either. */
    secret: whsec.optional(),
    secrets: z.array(whsec).min(1).max(5).optional(),
    /** Event types sent to it; all when absent. */
    events: z.array(z.enum(['order.status_changed'])).min(1).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.secret === undefined) === (e.secrets === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of secret, secrets' });
  });

/** An endpoint as the dispatcher takes it (subgraphs/orders/outbound/webhook-dispatcher.ts). */
export interface OrderWebhookEndpointSetting {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  /** Newest first; every one signs each delivery. Never logged. */
  readonly secrets: readonly string[];
  /** Undefined: every event type. */
  readonly events?: readonly string[];
}

export const routingPolicySetting = jsonSetting(routingPolicy, {} as RoutingPolicySetting, (p): RoutingPolicySetting => ({
  ...(p.strategy !== undefined ? { strategy: p.strategy } : {}),
  ...(p.supplierPriority !== undefined ? { supplierPriority: p.supplierPriority } : {}),
  ...(p.allowSubstitution !== undefined ? { inStockFirst: p.allowSubstitution } : {}),
  ...(p.allowSplit !== undefined ? { allowSplit: p.allowSplit } : {}),
  ...(p.shippingCost !== undefined ? { shippingCost: p.shippingCost } : {}),
}));

export const webhookEndpointsSetting = jsonSetting(
  z
    .array(endpoint)
    .max(100)
    .superRefine((list, ctx) => {
      const ids = list.map((e) => e.id);
      if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'endpoint ids must be unique' });
    }),
  [] as readonly OrderWebhookEndpointSetting[],
  (list): readonly OrderWebhookEndpointSetting[] =>
    list.map((e) => Object.freeze({ id: e.id, tenant: e.tenant, url: e.url, secrets: Object.freeze(e.secrets ?? [e.secret!]), ...(e.events ? { events: Object.freeze(e.events) } : {}) })),
);

/** Spread into the config schema (platform/config.ts). */
export const orderSettings = {
  ORDER_ROUTING_POLICY: routingPolicySetting,
  ORDER_WEBHOOK_ENDPOINTS: webhookEndpointsSetting,
};

/** Orders (docs/orders.md). */
export interface OrdersConfig {
  /** Overrides of the built-in routing policy; empty = today's defaults. */
  readonly routingPolicy: RoutingPolicySetting;
  /** Merchant endpoints of `order.status_changed`; secrets inside are never logged. */
  readonly webhookEndpoints: readonly OrderWebhookEndpointSetting[];
}

type OrderSettings = { [K in keyof typeof orderSettings]: z.output<(typeof orderSettings)[K]> };

export function ordersConfigOf(e: OrderSettings): OrdersConfig {
  return Object.freeze({ routingPolicy: Object.freeze(e.ORDER_ROUTING_POLICY), webhookEndpoints: Object.freeze([...e.ORDER_WEBHOOK_ENDPOINTS]) });
}
