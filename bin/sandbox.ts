/** `npm run sandbox:<rest|soap|graphql>`: one bundled supplier sandbox, alone. PORT picks its port (default: free). */
import { startSandbox } from '../stack/sandboxes.ts';

const protocol = process.argv[2];
if (protocol !== 'rest' && protocol !== 'soap' && protocol !== 'graphql') {
  console.error('usage: npm run sandbox:<rest|soap|graphql>');
  process.exit(2);
}
// Entry point: reading the two settings of this dev tool directly is deliberate (no product config applies).
const port = Number(process.env.PORT ?? 0);
const webhookUrl = process.env.WEBHOOK_URL;
const sandbox = await startSandbox(protocol, { port, host: '127.0.0.1', ...(webhookUrl ? { webhookUrl } : {}) });
console.log(`${protocol} supplier sandbox listening at ${sandbox.url}`);
console.log(`credentials: ${Object.keys(sandbox.credentials).join(', ')} (see docs/suppliers/)`);
console.log(`fault knobs: POST ${sandbox.url}/__sandbox/faults  stats: GET ${sandbox.url}/__sandbox/stats`);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
