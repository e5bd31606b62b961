/**
 * The pieces of @apollo/gateway 2.14's own executor (dist, not its public API) the fast executor reuses as they are,
 * so that what they decide stays Apollo's: the tracer and span names, the plan's data rewrites, and the mapping of an
 * `_entities` error path back to the client's response path. Pinned with the exact @apollo/gateway version in
 * package.json; a change of those files shows in test/gateway-speed/ (byte-for-byte equivalence).
 */
export { tracer, OpenTelemetrySpanNames, OpenTelemetryAttributeNames, recordExceptions, requestContextSpanAttributes, operationContextSpanAttributes } from '@apollo/gateway/dist/utilities/opentelemetry.js';
export { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites.js';
export { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan.js';
export { buildOperationContext } from '@apollo/gateway/dist/operationContext.js';
