/**
 * `npm run bench:faults`: the fault matrix of issue 12 as a table — each row a real fault on real processes (a
 * private Redis or FerretDB stopped under traffic and restarted, …), with p50/p99 of the client's requests during
 * the fault, errors by code, and recovery time. Each row starts and cleans up what it needs (private servers on
 * their own ports, sandboxes, a stack child process), so nothing but `redis-server` on PATH and the FerretDB binary
 * (`bash scripts/test-services.sh start` builds it) is required. Rows run one after another.
 *
 *   npm run bench:faults                 every row
 *   npm run bench:faults -- redis        only the rows named
 *
 * Rows are `FaultRowRunner`s (bench/fault-rows/row.ts); add one to ROWS. Method and figures: docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import { ferretdbOutageRow } from './fault-rows/ferretdb.ts';
import { gatewaySigtermRow } from './fault-rows/gateway-sigterm.ts';
import { redisOutageRow } from './fault-rows/redis.ts';
import { supplierDownRow } from './fault-rows/supplier-down.ts';
import { supplierSlowRow } from './fault-rows/supplier-slow.ts';
import { formatTable, type FaultRow, type FaultRowRunner } from './fault-rows/row.ts';

const ROWS: readonly FaultRowRunner[] = [redisOutageRow, ferretdbOutageRow, supplierSlowRow, supplierDownRow, gatewaySigtermRow];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const rows = wanted.length === 0 ? ROWS : ROWS.filter((r) => wanted.includes(r.name));
  if (rows.length === 0) throw new Error(`no row named ${wanted.join(', ')}; rows: ${ROWS.map((r) => r.name).join(', ')}`);
  console.log(`fault matrix: ${rows.map((r) => r.name).join(', ')}; node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const results: FaultRow[] = [];
  for (const row of rows) {
    const started = performance.now();
    results.push(...(await row.run()));
    console.log(`  ${row.name}: done in ${Math.round((performance.now() - started) / 1000)} s`);
  }
  console.log(`\n${formatTable(results)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
