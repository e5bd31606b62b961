/**
 * Sends the forged webhooks from a process of its own, so the 10,000 connections do not share an event loop with
 * the probes that measure the stack (the suite would measure itself). Prints one JSON line, the outcome.
 *
 *   node --import tsx test/security/hostile/flood-process.ts <webhook url> <count> <concurrency>
 */
import { forgeMaplecartWebhooks } from './forged-webhooks.ts';

const [url, count, concurrency] = process.argv.slice(2);
forgeMaplecartWebhooks(url!, Number(count), Number(concurrency)).then(
  (outcome) => process.stdout.write(`${JSON.stringify(outcome)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
