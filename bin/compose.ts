/**
 * `npm run compose`: regenerates the registry-driven SDL and composes schema/supergraph.graphql.
 * `npm run compose -- --check`: exits 1 when any committed file differs from what would be generated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCHEMA_DIR } from '../schema/subgraphs.ts';
import { generatedSchemaFiles } from '../schema/generate.ts';
import { composeSupergraph } from '../schema/compose.ts';

const check = process.argv.includes('--check');
const stale: string[] = [];

function emit(relative: string, content: string): void {
  const path = `${SCHEMA_DIR}${relative}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === content) return;
  if (check) {
    stale.push(relative);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote schema/${relative}`);
}

for (const [relative, content] of generatedSchemaFiles()) emit(relative, content);
if (stale.length === 0) emit('supergraph.graphql', composeSupergraph());

if (check && stale.length > 0) {
  console.error(`stale generated schema files (run \`npm run compose\`): ${stale.map((s) => `schema/${s}`).join(', ')}`);
  process.exit(1);
}
console.log(check ? 'schema: generated files are up to date' : 'schema: supergraph composed');
