/**
 * `npm run compose`: generates each supplier's subgraph SDL and offer stub from the suppliers file
 * (SUPPLIERS_FILE, default config/suppliers.json) and composes schema/supergraph.graphql.
 * Checks the subscription manifests (schema/*.subscriptions.json) against the composed supergraph.
 * `npm run compose -- --check`: exits 1 when any committed file differs from what would be generated.
 * `npm run compose -- --out DIR`: writes the same files under DIR instead of schema/ (a deployment's own supergraph;
 * point SUPERGRAPH_PATH at DIR/supergraph.graphql).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { SCHEMA_DIR } from '../schema/subgraphs.ts';
import { generatedSchemaFiles } from '../schema/generate.ts';
import { composeSupergraph } from '../schema/compose.ts';
import { useSuppliers } from '../platform/supplier-registry.ts';
import { buildSchema } from 'graphql';
import { loadSubscriptionManifests, subscriptionEntries } from '../gateway/subscriptions/subscription-manifest.ts';
import { parseCli } from './cli.ts';

const args = parseCli({
  usage: ['npm run compose [-- --check] [-- --out DIR]'],
  description: "Generates each supplier's subgraph SDL and offer stub from the suppliers file and composes schema/supergraph.graphql.",
  options: {
    check: { type: 'boolean', description: 'write nothing; exit 1 when a committed file differs from what would be generated' },
    out: { type: 'string', description: 'write under DIR instead of schema/ (a deployment\'s own supergraph)' },
  },
  environment: ['SUPPLIERS_FILE'],
});
const check = args.values['check'] === true;
const outDir = typeof args.values['out'] === 'string' && args.values['out'] !== '' ? `${resolve(args.values['out'])}/` : SCHEMA_DIR;
const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    // An entry-and-field message beats a stack trace for a mistake in the suppliers file.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
})();
const suppliers = useSuppliers(config.supplierEntries);
const stale: string[] = [];

function emit(relative: string, content: string): void {
  const path = `${outDir}${relative}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === content) return;
  if (check) {
    stale.push(relative);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}

console.log(`suppliers: ${suppliers.map((s) => `${s.slug} (${s.family})`).join(', ')} from ${config.suppliersFile}`);
for (const [relative, content] of generatedSchemaFiles(suppliers)) emit(relative, content);
if (stale.length === 0) {
  const supergraph = composeSupergraph(suppliers);
  emit('supergraph.graphql', supergraph);
  // The subscription manifests beside the owning subgraphs' SDL must describe fields of this supergraph, as the
  // gateway checks at start (docs/subscriptions.md, "Manifests"): a mismatch fails here, before any deployment.
  try {
    subscriptionEntries(loadSubscriptionManifests(), buildSchema(supergraph));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

if (check && stale.length > 0) {
  console.error(`stale generated schema files (run \`npm run compose\`): ${stale.map((s) => `${outDir}${s}`).join(', ')}`);
  process.exit(1);
}
console.log(check ? 'schema: generated files are up to date' : 'schema: supergraph composed');
