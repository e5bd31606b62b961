import { GraphQLError } from 'graphql';
import { ERRORS, isRegistryError, toRegistryError, type RegistryError } from '../kernel/errors.ts';
import { supplierFailureFields } from '../adapters/core/supplier-facts.ts';
import { cleanSupplierText } from '../adapters/core/supplier-text.ts';
import type { Logger } from '../platform/logger.ts';
import type { ApolloServerPlugin } from '@apollo/server';

/** Longest message a client gets, in UTF-16 code units (about two lines of an error toast). */
export const MAX_CLIENT_MESSAGE = 300;

/**
 * The one place a registry error becomes what a client sees, and the last line of defence against supplier text
 * (docs/security.md, "What clients and logs see"). Messages are our words (the adapters keep the supplier's own code
 * and text in `details`, which never reaches a client); still, every message is clipped to MAX_CLIENT_MESSAGE and
 * cleaned (control characters, NUL, bidi overrides, invalid UTF-8 and lone surrogates removed) here, so a message
 * that quoted a supplier by mistake costs at most 300 printable characters, never megabytes.
 * - with a supplier: `Supplier <slug>: <our message>`, extensions `code`, `errorClass`, `supplier`;
 * - critical ones are masked (the cause stays in our logs) but still name the supplier and the class, so a client
 *   knows which part of its answer is missing and why in kind;
 * - `retryAfterMs` only as a whole, finite, non-negative number of milliseconds.
 */
export function toClientError(error: RegistryError, path?: readonly (string | number)[]): GraphQLError {
  const who = error.supplier ? `Supplier ${error.supplier}` : 'Service';
  const message =
    error.errorClass === 'critical'
      ? `${who} failed (${error.errorClass}); details are in the operator logs`
      : `${who}: ${error.message}`;
  const retryAfterMs = typeof error.retryAfterMs === 'number' && Number.isFinite(error.retryAfterMs) && error.retryAfterMs >= 0 ? Math.ceil(error.retryAfterMs) : undefined;
  return new GraphQLError(cleanSupplierText(message, MAX_CLIENT_MESSAGE) ?? `${who} failed (${error.code})`, {
    path,
    extensions: {
      code: error.code,
      errorClass: error.errorClass,
      ...(error.supplier ? { supplier: error.supplier } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
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
    if (original instanceof GraphQLError) return ownCode(formatted) ? clippedOwn(formatted) : formatted;
    const wrapped = toRegistryError(original);
    return { ...formatted, message: 'Internal error', extensions: { code: wrapped.code, errorClass: 'critical' } };
  };
}

const ownCode = (formatted: { extensions?: Record<string, unknown> }): boolean => {
  const code = formatted.extensions?.['code'];
  return typeof code === 'string' && code in ERRORS;
};

/**
 * A GraphQLError a resolver built itself from a registry error (e.g. an order error with its `field` and `reason`):
 * the same bound as toClientError, on its message and on every string extension.
 */
function clippedOwn<T extends { message: string; extensions?: Record<string, unknown> }>(formatted: T): T {
  const extensions = Object.fromEntries(
    Object.entries(formatted.extensions ?? {}).map(([key, value]) => [key, typeof value === 'string' ? (cleanSupplierText(value) ?? '') : value]),
  );
  return { ...formatted, message: cleanSupplierText(formatted.message, MAX_CLIENT_MESSAGE) ?? String(extensions['code']), extensions };
}

/** Stack frames without the first line: that line repeats the message, which may quote a supplier at any length. */
const framesOf = (error: Error): string | undefined => {
  const at = error.stack?.indexOf('\n    at ') ?? -1;
  return at < 0 ? undefined : error.stack!.slice(at + 1, at + 1 + 4_000);
};

/** A critical error for the operator log: its fields (supplier text clipped, cleaned), frames and cause, bounded. */
function criticalFields(error: RegistryError): Record<string, unknown> {
  const cause = error.cause;
  return {
    ...supplierFailureFields(error),
    ...(framesOf(error) ? { stack: framesOf(error) } : {}),
    ...(cause instanceof Error
      ? { cause: { name: cause.name, ...supplierFailureFields(cause), ...(framesOf(cause) ? { stack: framesOf(cause) } : {}) } }
      : cause !== undefined ? { cause: supplierFailureFields(cause) } : {}),
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
              if (original.errorClass === 'critical') contextValue.log.error({ ...criticalFields(original), path: error.path }, 'critical error');
            } else {
              contextValue.log.error({ err: original, path: error.path }, 'unexpected resolver error');
            }
          }
        },
      };
    },
  };
}
