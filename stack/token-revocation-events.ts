import type { Logger } from '../platform/logger.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import type { TokenStore } from '../platform/ports/token-store.ts';

/**
 * The token store, telling the event bus of every revocation (`token.revoked`, `{ tokenId, tenant, at }`): each
 * gateway instance closes the revoked token's open subscription connections at once (docs/subscriptions.md).
 * Credentials are checked per request over HTTP, so only long-lived connections need telling. The revocation is
 * stored first and stands even if the publish fails (logged): the connection then ends at its next
 * `connection_init` instead.
 */
export function withRevocationEvents(tokens: TokenStore, events: EventBus, log: Logger): TokenStore {
  return {
    insert: (record) => tokens.insert(record),
    findByHash: (hash) => tokens.findByHash(hash),
    get: (id) => tokens.get(id),
    list: (filter) => tokens.list(filter),
    clear: () => tokens.clear(),
    async revoke(id, at) {
      const revoked = await tokens.revoke(id, at);
      if (revoked !== null) {
        // Published on every revoke call, repeats included: an earlier publish may have been lost.
        await events.publish('token.revoked', { tokenId: revoked.id, tenant: revoked.tenant, at: revoked.revokedAt }).catch((error: unknown) =>
          log.warn({ err: error, tokenId: revoked.id }, 'could not publish token.revoked: open subscriptions of this token stay until they reconnect'),
        );
      }
      return revoked;
    },
  };
}
