/**
 * One row of the fault matrix (issue 12; `npm run bench:faults`, docs/benchmarks.md "Faults"): a real fault on real
 * processes, measured from the client's side. Every row module (redis.ts, ferretdb.ts, the supplier rows) returns
 * this shape, so bench/faults.ts prints them as one table and the fault tests assert on the same measurements.
 */
export interface FaultRow {
  /** What was faulted, e.g. "Redis stopped (SIGKILL), restarted". */
  readonly row: string;
  /** Client requests answered during the fault. */
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Error codes seen during the fault (GraphQL `extensions.code`; `HTTP_<status>` for a non-200 without one), counted. */
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** From the fault's end (the service restarted) to the first clean answer; null when the row has no recovery. */
  readonly recoveryMs: number | null;
  /** One line on what the row's answers looked like (what was degraded, and how it was named). */
  readonly note?: string;
}

/**
 * Rows that run on their own: start what they need, fault it, measure, clean up. One setting may give several rows
 * (e.g. the reads that need the faulted store and those that do not).
 */
export interface FaultRowRunner {
  /** The name `npm run bench:faults -- <name>` selects. */
  readonly name: string;
  run(): Promise<FaultRow[]>;
}

/** The client-side figures of one answer that a row needs. */
export interface Measured {
  readonly ms: number;
  readonly status: number;
  readonly codes: readonly string[];
}

export function percentile(sortedMs: readonly number[], q: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(sortedMs.length * q) - 1))]!;
}

export function summarize(row: string, answers: readonly Measured[], recoveryMs: number | null, note?: string): FaultRow {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  const errorsByCode: Record<string, number> = {};
  for (const answer of answers) {
    const codes = answer.codes.length > 0 ? answer.codes : answer.status === 200 ? [] : [`HTTP_${answer.status}`];
    for (const code of codes) errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
  }
  return {
    row,
    requests: answers.length,
    p50Ms: Math.round(percentile(ms, 0.5)),
    p99Ms: Math.round(percentile(ms, 0.99)),
    maxMs: Math.round(ms[ms.length - 1] ?? 0),
    errorsByCode,
    recoveryMs: recoveryMs === null ? null : Math.round(recoveryMs),
    ...(note === undefined ? {} : { note }),
  };
}

/** A Markdown table (docs/benchmarks.md takes it as printed). */
export function formatTable(rows: readonly FaultRow[]): string {
  const codes = (r: FaultRow) => Object.entries(r.errorsByCode).map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
  const lines = [
    '| fault | requests | p50 ms | p99 ms | max ms | errors by code | recovery ms |',
    '|---|---:|---:|---:|---:|---|---:|',
    ...rows.map((r) => `| ${r.row} | ${r.requests} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${codes(r)} | ${r.recoveryMs ?? '—'} |`),
  ];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.row}: ${r.note}`);
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
