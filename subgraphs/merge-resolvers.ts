type ResolverMap = Record<string, unknown>;

/** Merges resolver maps type by type, so modules may each contribute fields of `Query` or of one type. */
export function mergeResolvers(...maps: readonly ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, resolvers] of Object.entries(map)) {
      const existing = merged[type];
      const mergeable = (v: unknown): v is ResolverMap => typeof v === 'object' && v !== null && v.constructor === Object;
      merged[type] = mergeable(existing) && mergeable(resolvers) ? { ...existing, ...resolvers } : resolvers;
    }
  }
  return merged;
}
