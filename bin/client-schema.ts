/**
 * `npm run client-schema`: writes the partner-facing client schema (schema/client/schema.graphql) and Apollo
 * Client's possibleTypes (schema/client/possible-types.json) from the supergraph (gateway/client-schema.ts).
 * `-- --check`: writes nothing, exits 1 when the committed files differ from what would be written.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiSchemaOf, clientSchemaOf } from '../gateway/client-schema.ts';
import { DEFAULT_SUPERGRAPH_PATH } from '../gateway/supergraph.ts';
import { parseCli } from './cli.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'client');

const args = parseCli({
  usage: ['npm run client-schema [-- --check]'],
  description: "Publishes the partner-facing client schema (SDL, without operator-only fields) and Apollo Client's possibleTypes, generated from the committed supergraph, under schema/client/.",
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when the committed files are stale' } },
});

const supergraph = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
const client = clientSchemaOf(supergraph, await apiSchemaOf(supergraph));
const files = { 'schema.graphql': client.sdl, 'possible-types.json': `${JSON.stringify(client.possibleTypes, null, 2)}\n` };
if (args.values['check'] === true) {
  const stale = Object.entries(files).filter(([name, text]) => !existsSync(join(OUT, name)) || readFileSync(join(OUT, name), 'utf8') !== text);
  if (stale.length > 0) {
    console.error(`stale client schema (run \`npm run client-schema\` and commit): ${stale.map(([name]) => `schema/client/${name}`).join(', ')}`);
    process.exit(1);
  }
  console.log('client schema: schema/client/ is up to date');
} else {
  mkdirSync(OUT, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(OUT, name), text);
  console.log(`client schema: wrote schema/client/schema.graphql (${client.sdl.split('\n').length} lines) and possible-types.json (${Object.keys(client.possibleTypes).length} abstract types)`);
}
