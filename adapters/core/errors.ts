/** Moved to kernel/errors.ts (issue 17: the registry sits at the bottom). Kept while other work in flight imports this path. */
export * from '../../kernel/errors.ts';
