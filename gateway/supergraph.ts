import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));

/** Subgraph names and URLs declared in a supergraph (its join__Graph enum). */
export function subgraphsInSupergraph(sdl: string): { name: string; url: string }[] {
  const found: { name: string; url: string }[] = [];
  for (const match of sdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]*)"\)/g)) {
    found.push({ name: match[1]!, url: match[2]! });
  }
  return found;
}

export function readSupergraph(path: string | undefined): string {
  const file = path ?? DEFAULT_SUPERGRAPH_PATH;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read supergraph ${file}: ${(error as Error).message}`);
  }
}
