import { isRefusalCode, isRegistryError, type RegistryError } from '../../../kernel/errors.ts';
import { supplierFailureFields } from '../../../adapters/core/supplier-facts.ts';
import { cleanSupplierText } from '../../../adapters/core/supplier-text.ts';

/**
 * "This supplier will not take this sub-order": re-route, never retry. The registry says which codes are refusals
 * (kernel/errors.ts, `refusal`): SUPPLIER_REJECTED, OUT_OF_STOCK, NOT_FOUND, SUPPLIER_NOT_FOUND, RESERVATION_NOT_HELD and
 * INVALID_INPUT are the ones placement meets.
 */
export const isRefusal = (error: unknown): error is RegistryError => isRegistryError(error) && isRefusalCode(error.code);

/** Decided by our own traffic layer before anything left the process: such an attempt cannot have placed an order. */
const NEVER_SENT = new Set(['SUPPLIER_CIRCUIT_OPEN', 'RATE_LIMITED_LOCALLY']);
export const neverSent = (error: unknown): boolean => isRegistryError(error) && NEVER_SENT.has(error.code);

/** An answer the supplier (or our reading of it) gave: not a timeout or an outage. */
export const definite = (error: unknown): boolean => isRegistryError(error) && error.errorClass !== 'transient';

/**
 * Supplier failures are expected here: logged by code, our message and what the supplier said (details), clipped and
 * cleaned; anything else keeps its stack.
 */
export const errorFields = (error: unknown): Record<string, unknown> => (isRegistryError(error) ? supplierFailureFields(error) : { err: error });

/** Longest refusal reason or last error stored on an order: it is served to clients (SubOrder.lastError, needsAttention). */
export const MAX_ORDER_REASON = 300;
/**
 * What an order keeps of a failure: our code and message, clipped and cleaned (never megabytes, never markup-length
 * text, control characters or bidi overrides from a supplier); the supplier's own words go to the operator log.
 */
export const orderReason = (text: string): string => cleanSupplierText(text, MAX_ORDER_REASON) ?? 'refused';
export const reasonOf = (error: RegistryError, prefix = ''): string => orderReason(`${prefix}${error.code}: ${error.message}`);
