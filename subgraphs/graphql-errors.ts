import { GraphQLError } from 'graphql';
import { isRegistryError, toRegistryError, type RegistryError } from '../adapters/core/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { ApolloServerPlugin } from '@apollo/server';

/**
 * The one place a registry error becomes what a client sees. Transient and logical errors keep their code and
 * message; critical ones are masked (the cause stays in our logs) but still name the supplier and the class, so
 * a client knows which part of its answer is missing and why in kind.
 */
export function toClientError(error: RegistryError, path?: readonly (string | number)[]): GraphQLError {
  const who = error.supplier ? `Supplier ${error.supplier}` : 'Service';
  const message =
    error.errorClass === 'critical'
      ? `${who} failed (${error.errorClass}); details are in the operator logs`
      : `${who}: ${error.message}`;
  return new GraphQLError(message, {
    path,
    extensions: {
      code: error.code,
      errorClass: error.errorClass,
      ...(error.supplier ? { supplier: error.supplier } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    },
  });
}

/**
 * Apollo `formatError` for every subgraph: registry errors mapped, anything unexpected masked. It has no request
 * context, so it does not log: `logResolverErrors` does, with the request's logger (its id on every line).
 */
export function createFormatError() {
  return (formatted: { message: string; extensions?: Record<string, unknown> }, error: unknown) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original === undefined || original === null) return formatted;
    if (isRegistryError(original)) {
      const client = toClientError(original);
      return { ...formatted, message: client.message, extensions: { ...formatted.extensions, ...client.extensions } };
    }
    if (original instanceof GraphQLError) return formatted;
    const wrapped = toRegistryError(original);
    return { ...formatted, message: 'Internal error', extensions: { code: wrapped.code, errorClass: 'critical' } };
  };
}

/**
 * Logs what `createFormatError` masks, through the request's own logger: critical registry errors with their cause,
 * unexpected errors with their stack. Transient and logical ones are answers the client sees; not logged here.
 */
export function logResolverErrors(): ApolloServerPlugin<{ readonly log: Logger }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = error.originalError;
            if (original === undefined || original === null || original instanceof GraphQLError) continue;
            if (isRegistryError(original)) {
              if (original.errorClass === 'critical') contextValue.log.error({ err: original, code: original.code, path: error.path }, 'critical error');
            } else {
              contextValue.log.error({ err: original, path: error.path }, 'unexpected resolver error');
            }
          }
        },
      };
    },
  };
}
