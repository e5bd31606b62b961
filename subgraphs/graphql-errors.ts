import { GraphQLError } from 'graphql';
import { isRegistryError, toRegistryError, type RegistryError } from '../adapters/core/errors.ts';
import type { Logger } from '../platform/logger.ts';

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

/** Apollo `formatError` for every subgraph: registry errors mapped, anything unexpected masked and logged. */
export function createFormatError(log: Logger) {
  return (formatted: { message: string; extensions?: Record<string, unknown> }, error: unknown) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original === undefined || original === null) return formatted;
    if (isRegistryError(original)) {
      if (original.errorClass === 'critical') log.error({ err: original, code: original.code }, 'critical error');
      const client = toClientError(original);
      return { ...formatted, message: client.message, extensions: { ...formatted.extensions, ...client.extensions } };
    }
    if (original instanceof GraphQLError) return formatted;
    const wrapped = toRegistryError(original);
    log.error({ err: original }, 'unexpected resolver error');
    return { ...formatted, message: 'Internal error', extensions: { code: wrapped.code, errorClass: 'critical' } };
  };
}
