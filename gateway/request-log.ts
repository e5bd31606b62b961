import type { ApolloServerPlugin } from '@apollo/server';
import { CODE } from '../kernel/errors.ts';
import type { Logger } from '../platform/logger.ts';

/** Codes that are a client's answer, not our failure: not logged per request (they are counted in metrics). */
const UNEXPECTED: ReadonlySet<string | undefined> = new Set([CODE.INTERNAL_SERVER_ERROR, undefined]);

/**
 * Logs a request's unexpected failures through its own logger (bound to its request id), so an operator can find the
 * line a user quotes from `extensions.requestId`. Client mistakes, access refusals and supplier degradation are
 * answers, logged where they are decided (if at all).
 */
export function useRequestLog(fallback: Logger): ApolloServerPlugin<{ readonly log?: Logger; readonly requestId: string }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          const log = contextValue.log ?? fallback.child({ requestId: contextValue.requestId });
          for (const error of errors) {
            const code = error.extensions?.['code'] as string | undefined;
            if (!UNEXPECTED.has(code)) continue;
            log.error({ err: error.originalError ?? error, path: error.path, operationName }, 'request failed unexpectedly');
          }
        },
      };
    },
  };
}
