/**
 * Name of the response extension in which supplier subgraphs report offers served from last known figures; the
 * gateway merges the subgraphs' lists into its own response under the same name.
 */
export const DEGRADED_EXTENSION = 'degradedSuppliers';
