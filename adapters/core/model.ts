/** Moved to kernel/model.ts (issue 17: the canonical model sits at the bottom). Kept while other work in flight imports this path. */
export * from '../../kernel/model.ts';
