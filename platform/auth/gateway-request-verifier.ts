import type { Logger } from '../logger.ts';
import type { AuthGuardStore } from '../ports/auth-guard-store.ts';
import { GatewayTokenError, type GatewayTokenVerifier, type RequestBody } from './gateway-token.ts';
import type { Principal } from './principal.ts';

/** What a subgraph runs on each /graphql request (subgraphs/serve.ts): the signature, the body, then single use. */
export interface GatewayRequestVerifier {
  /**
   * The principal the gateway signed for this exact request; throws GatewayTokenError (401) otherwise. `body` may be
   * a reader: it is called only after the signature checks out.
   */
  verify(header: string | undefined, subgraph: string, body: RequestBody): Promise<Principal>;
}

export interface GatewayRequestVerifierOptions {
  readonly tokens: GatewayTokenVerifier;
  /** Where each `jti` is claimed: Redis when several subgraph processes may receive one header, else memory. */
  readonly claims: AuthGuardStore;
  /** Used only while `claims` fails: each process then remembers the ids it has seen itself. */
  readonly fallbackClaims: AuthGuardStore;
  readonly log: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Makes the gateway's header single-use: after the signature and body hash check out (so only genuine gateway
 * headers reach the store, never an attacker's garbage), its `jti` is claimed with SET NX for as long as the token
 * could still be accepted. A second presentation — the same body again, or (caught earlier) another body — is
 * refused. The key includes the subgraph: ids are random, the audience only keeps one subgraph's claims apart from
 * another's in the shared store.
 *
 * When the claim store fails, claims fall back to this process's memory (and the outage is logged once per
 * minute): a replay to the same process is still refused, and subgraph traffic does not stop with Redis.
 */
export function createGatewayRequestVerifier(options: GatewayRequestVerifierOptions): GatewayRequestVerifier {
  const now = options.now ?? Date.now;
  let lastWarnAt = 0;
  const claim = async (key: string, ttlMs: number): Promise<boolean> => {
    try {
      return await options.claims.claimOnce(key, ttlMs);
    } catch (error) {
      if (now() - lastWarnAt > 60_000) {
        lastWarnAt = now();
        options.log.warn({ err: error }, 'gateway header claim store unavailable; single use is enforced per process meanwhile');
      }
      return options.fallbackClaims.claimOnce(key, ttlMs);
    }
  };
  return {
    async verify(header, subgraph, body) {
      const verified = await options.tokens.verify(header, subgraph, body);
      const ttlMs = Math.max(1, Math.ceil(verified.acceptedUntilMs - now()));
      if (!(await claim(`gw-jti:${subgraph}:${verified.jti}`, ttlMs))) {
        throw new GatewayTokenError('gateway signature was already used (replay)', 'replayed');
      }
      return verified.principal;
    },
  };
}
