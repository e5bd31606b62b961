/** Moved to adapters/store-kit/store-span.ts (issue 17). Kept while work in flight imports this path. */
export * from '../store-kit/store-span.ts';
