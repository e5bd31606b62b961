/**
 * `npm run sandbox:<rest|soap|graphql>`: one bundled supplier sandbox, alone, with its protocol's defaults.
 * `npx tsx bin/sandbox.ts <slug>`: the sandbox of a suppliers-file entry (SUPPLIERS_FILE), with that entry's
 * sandbox options (credentials, per-service paths, catalog). PORT picks its port (default: free).
 */
import { loadConfig } from '../platform/config.ts';
import { startSandbox, startSandboxFor } from '../stack/sandboxes.ts';
import { parseCli } from './cli.ts';

const args = parseCli({
  usage: ['npm run sandbox:<rest|soap|graphql>', 'npx tsx bin/sandbox.ts <supplier slug from the suppliers file>'],
  description: 'One bundled supplier sandbox, alone: its URL, development credentials and fault knobs are printed once it listens.',
  positionals: true,
  environment: ['PORT', 'WEBHOOK_URL', 'SUPPLIERS_FILE'],
});
const which = args.positionals[0] ?? '';
const isProtocol = which === 'rest' || which === 'soap' || which === 'graphql';
const entry = isProtocol ? undefined : loadConfig().supplierEntries.find((e) => e.slug === which);
if (!isProtocol && !entry) {
  console.error('usage: npm run sandbox:<rest|soap|graphql>, or npx tsx bin/sandbox.ts <supplier slug from the suppliers file>');
  process.exit(2);
}
// Entry point: reading the two settings of this dev tool directly is deliberate (no product config applies).
const port = Number(process.env.PORT ?? 0);
const webhookUrl = process.env.WEBHOOK_URL;
const options = { port, host: '127.0.0.1', ...(webhookUrl ? { webhookUrl } : {}) };
const sandbox = entry ? await startSandboxFor(entry, options) : await startSandbox(which as 'rest' | 'soap' | 'graphql', options);
console.log(`${entry ? `${entry.slug} (${entry.family})` : which} supplier sandbox listening at ${sandbox.url}`);
console.log(`credentials: ${Object.keys(sandbox.credentials).join(', ')} (see docs/suppliers/)`);
console.log(`fault knobs: POST ${sandbox.url}/__sandbox/faults  stats: GET ${sandbox.url}/__sandbox/stats`);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
