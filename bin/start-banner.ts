/**
 * What `npm start` prints once the stack is up: where the graph, health and metrics are, every bundled supplier
 * sandbox with its URL and development credentials (what a developer pastes into a request or a test), and an
 * example query. Sandbox credentials are the sandboxes' own development values, never a real supplier's: a supplier
 * with a configured URL has no sandbox and is not listed.
 */
export interface BannerInput {
  readonly graphqlUrl: string;
  readonly gatewayUrl: string;
  readonly sandboxes: ReadonlyMap<string, { readonly kind: string; readonly url: string; readonly credentials: Readonly<Record<string, string>>; readonly webhookSecret: string | null }>;
  /** Suppliers not answering yet (initial sync retries them). */
  readonly pending: readonly string[];
  readonly exampleQuery: string;
}

export function startBanner(input: BannerInput): string {
  const lines = ['', '  Dropship graph is up.', `    GraphQL + IDE:  ${input.graphqlUrl}   (open it in a browser)`, `    Liveness:       ${input.gatewayUrl}/healthz`, `    Readiness:      ${input.gatewayUrl}/readyz`, `    Metrics:        ${input.gatewayUrl}/metrics`];
  if (input.sandboxes.size > 0) {
    lines.push('', '  Bundled supplier sandboxes (development credentials; fault knobs: POST <url>/__sandbox/faults):');
    const width = Math.max(...[...input.sandboxes.keys()].map((slug) => slug.length));
    for (const [slug, sandbox] of input.sandboxes) {
      lines.push(`    ${slug.padEnd(width)}  ${sandbox.kind.padEnd(7)}  ${sandbox.url}`);
      const credentials = Object.entries(sandbox.credentials).map(([field, value]) => `${field}=${value}`);
      if (credentials.length > 0) lines.push(`    ${''.padEnd(width)}  credentials  ${credentials.join('  ')}`);
      if (sandbox.webhookSecret !== null) lines.push(`    ${''.padEnd(width)}  webhook signing secret  ${sandbox.webhookSecret}`);
    }
  }
  if (input.pending.length > 0) lines.push('', `  Not answering yet (shown in { suppliers }; their catalog and stock load when they do): ${input.pending.join(', ')}`);
  lines.push('', '  Try:', `    curl -s ${input.graphqlUrl} -H 'content-type: application/json' \\`, `      -d '${JSON.stringify({ query: input.exampleQuery })}'`, '');
  return lines.join('\n');
}
