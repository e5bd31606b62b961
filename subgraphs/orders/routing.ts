/**
 * The routing policy moved to subgraphs/routing-policy.ts (issue 18) so pricing can ask which offer routing would
 * pick without importing the orders domain (docs/architecture.md: domains never import each other). Orders' own
 * modules keep importing it from here.
 */
export * from '../routing-policy.ts';
