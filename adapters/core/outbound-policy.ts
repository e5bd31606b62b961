/**
 * The outbound policy every supplier call goes through (docs/security.md, "Outbound TLS and pinning"):
 * - HTTPS only; plain HTTP only to a loopback host, and only when allowed (bundled sandboxes, local development).
 *   A refused URL fails before any socket is opened.
 * - TLS 1.2 or newer, certificates always verified (an inherited NODE_TLS_REJECT_UNAUTHORIZED=0 is overridden).
 * - Optional SPKI pinning per supplier: sha256 (base64) of a certificate's SubjectPublicKeyInfo; several pins are
 *   allowed so a key rotation can be rolled out. A chain with no pinned key fails closed as TLS_PIN_MISMATCH
 *   (critical, never retried) and is logged at error level when it happens.
 *
 * REST and GraphQL clients take `fetch` (undici's fetch on the policy's own Agent); the SOAP client takes
 * `axiosOptions` (node:https agent, no redirects, no proxy) — the same rules on both stacks.
 */
import { createHash, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { SpanKind, callAttributes, callSpan } from './policies/call-trace.ts';
import type { Logger } from '../../platform/logger.ts';
import { RegistryError } from '../../kernel/errors.ts';

/** The fetch signature our REST and GraphQL clients accept. */
export type OutboundFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface OutboundPolicyOptions {
  /** Supplier slug, for errors and logs. */
  readonly supplier: string;
  /** Allow plain http:// to loopback hosts (127.0.0.0/8, ::1, localhost). @default false */
  readonly allowLoopbackHttp?: boolean;
  /**
   * SPKI pins: base64 sha256 of a SubjectPublicKeyInfo (the HPKP `pin-sha256` format). Any certificate of the
   * presented chain matching any pin is accepted. @default [] (no pinning: CA verification only)
   */
  readonly pins?: readonly string[];
  /** Trusted CA certificates (PEM) instead of Node's bundled list: private CAs and tests. @default Node's list */
  readonly ca?: string | readonly string[];
  /** Where a pin mismatch is reported. @default not logged (the error still fails the call) */
  readonly log?: Logger;
}

export interface OutboundPolicy {
  readonly supplier: string;
  /** The URL, parsed, when the policy allows calling it; throws MISCONFIGURED (nothing sent) otherwise. */
  check(url: string): URL;
  /** fetch under the policy: URL checked first, TLS 1.2+, pins verified on every new connection. */
  readonly fetch: OutboundFetch;
  /** Options for an axios request (the `soap` package): the policy's agents, no redirects, no proxy. */
  readonly axiosOptions: Readonly<Record<string, unknown>>;
  /** The same failure as a registry error when `error` (or a cause in its chain) is a pin mismatch. */
  registryErrorOf(error: unknown, operation?: string): RegistryError | undefined;
  close(): Promise<void>;
}

const PIN = /^[A-Za-z0-9+/]{43}=$/;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:7f00:0', 104, 'ipv6'); // IPv4-mapped 127.0.0.0/8, as URL normalises it

/** True for `localhost` and loopback IP literals; never resolves names (a name could point anywhere). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return LOOPBACK.check(host, 'ipv4');
  if (family === 6) return LOOPBACK.check(host, 'ipv6');
  return false;
}

/**
 * The pin of a certificate: base64 sha256 of its DER SubjectPublicKeyInfo. Read from the DER certificate, not
 * `cert.pubkey`, which for EC keys is the bare curve point rather than the SPKI structure pins are made of.
 */
export const spkiPinOf = (cert: Pick<PeerCertificate, 'raw'>): string =>
  createHash('sha256').update(new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

/** Raised inside the TLS handshake; carried up as the `cause` of whatever the HTTP client throws. */
export class TlsPinMismatchError extends Error {
  override readonly name = 'TlsPinMismatchError';
  readonly code = 'ERR_TLS_PIN_MISMATCH';
  constructor(
    readonly supplier: string,
    readonly host: string,
    /** Pins of the presented chain, leaf first: public keys, safe to log, and what an operator compares. */
    readonly presented: readonly string[],
  ) {
    super(`TLS certificate of ${host} matches none of the pins configured for ${supplier}`);
  }
}

/** Finds a pin mismatch in an error's cause chain (undici and axios both wrap the socket error). Duck-typed on name and code. */
export function pinMismatchIn(error: unknown): TlsPinMismatchError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const { name, code } = current as { name?: unknown; code?: unknown };
    if (name === 'TlsPinMismatchError' && code === 'ERR_TLS_PIN_MISMATCH') return current as TlsPinMismatchError;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function chainOf(leaf: PeerCertificate): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let cert: PeerCertificate | undefined = leaf;
  // A self-signed root is its own issuer: stop at a repeat.
  while (cert && cert.raw && !chain.includes(cert) && chain.length < 10) {
    chain.push(cert);
    cert = (cert as { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return chain;
}

export function createOutboundPolicy(options: OutboundPolicyOptions): OutboundPolicy {
  const { supplier } = options;
  const pins = new Set(options.pins ?? []);
  for (const pin of pins) {
    if (!PIN.test(pin)) throw new RegistryError('MISCONFIGURED', `${supplier}: TLS pin is not a base64 sha256 digest`, { supplier, details: { pinLength: pin.length } });
  }

  /** Node calls this after the chain verified against the CAs; returning an error aborts the handshake. */
  function checkServerIdentity(host: string, cert: PeerCertificate): Error | undefined {
    const hostError = tls.checkServerIdentity(host, cert);
    if (hostError) return hostError;
    if (pins.size === 0) return undefined;
    const presented = chainOf(cert).map(spkiPinOf);
    if (presented.some((pin) => pins.has(pin))) return undefined;
    const mismatch = new TlsPinMismatchError(supplier, host, presented);
    options.log?.error({ supplier, host, presented, code: 'TLS_PIN_MISMATCH' }, 'TLS pin mismatch: refusing the supplier connection');
    return mismatch;
  }

  const tlsOptions = {
    minVersion: 'TLSv1.2' as const,
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: typeof options.ca === 'string' ? options.ca : [...options.ca] }),
    // A resumed session skips checkServerIdentity: with pins, every connection does a full handshake.
    ...(pins.size > 0 ? { checkServerIdentity, maxCachedSessions: 0 } : {}),
  };
  const dispatcher = new Agent({ connect: tlsOptions });
  const httpsAgent = new https.Agent({ keepAlive: true, ...tlsOptions });
  const httpAgent = new http.Agent({ keepAlive: true });

  function check(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new RegistryError('MISCONFIGURED', `${supplier}: outbound URL is not a URL`, { supplier });
    }
    if (url.protocol === 'https:') return url;
    const refuse = (why: string) =>
      new RegistryError('MISCONFIGURED', `${supplier}: refused to call ${url.protocol}//${url.host}: ${why}`, { supplier, details: { protocol: url.protocol, host: url.host } });
    if (url.protocol !== 'http:') throw refuse('only https is allowed');
    if (!isLoopbackHost(url.hostname)) throw refuse('plain http is allowed only to loopback hosts');
    if (!options.allowLoopbackHttp) throw refuse('plain http to loopback is not allowed (OUTBOUND_ALLOW_LOOPBACK_HTTP)');
    if (pins.size > 0) throw refuse('the supplier has TLS pins, so it must be called over https');
    return url;
  }

  function registryErrorOf(error: unknown, operation?: string): RegistryError | undefined {
    const mismatch = pinMismatchIn(error);
    if (!mismatch) return undefined;
    return new RegistryError('TLS_PIN_MISMATCH', mismatch.message, {
      supplier,
      ...(operation === undefined ? {} : { operation }),
      details: { host: mismatch.host, presented: mismatch.presented },
      cause: mismatch,
    });
  }

  const send = async (url: URL, init: RequestInit): Promise<Response> => {
    try {
      const response = await undiciFetch(url, {
        ...(init as Record<string, unknown>),
        // A followed redirect would skip check(); our clients treat a 3xx as an answer anyway.
        redirect: 'manual',
        dispatcher,
      } as Parameters<typeof undiciFetch>[1]);
      callAttributes({ 'http.response.status_code': response.status });
      return response as unknown as Response;
    } catch (error) {
      throw registryErrorOf(error) ?? error;
    }
  };
  // Every supplier request (REST, SOAP, GraphQL) is a client span: method, host and path only — never the query
  // string, headers or body. No traceparent is sent: a supplier is not a process of ours.
  const policyFetch: OutboundFetch = async (input, init) => {
    const url = check(input);
    const method = init.method ?? 'GET';
    const attributes = { 'http.request.method': method, 'server.address': url.hostname, 'url.path': url.pathname, 'supplier.slug': supplier };
    return callSpan(`${method}`, attributes, () => send(url, init), SpanKind.CLIENT);
  };

  return {
    supplier,
    check,
    fetch: policyFetch,
    axiosOptions: Object.freeze({ httpsAgent, httpAgent, maxRedirects: 0, proxy: false }),
    registryErrorOf,
    async close() {
      httpsAgent.destroy();
      httpAgent.destroy();
      await dispatcher.close();
    },
  };
}
