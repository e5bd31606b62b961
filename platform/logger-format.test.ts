import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wantsPretty } from './logger.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

/** Logs one record from a child process whose stdout is a pipe (not a terminal), with the given format. */
async function logWith(format: string): Promise<string> {
  const script = `import { createLogger } from './platform/logger.ts';
const log = createLogger({ level: 'info', name: 'probe', format: ${JSON.stringify(format)} });
log.info({ supplier: 'brightline', password: 'hunter2', token: 'tok_secret' }, 'supplier answered');`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 20_000 });
  return stdout;
}

describe('log format (LOG_FORMAT)', () => {
  it('auto means pretty only on a terminal', () => {
    expect(wantsPretty('auto', true)).toBe(true);
    expect(wantsPretty('auto', false)).toBe(false);
    expect(wantsPretty('json', true)).toBe(false);
    expect(wantsPretty('pretty', false)).toBe(true);
    expect(wantsPretty(undefined, true)).toBe(false);
  });

  it('pretty: human-readable lines, with the same redaction as JSON', async () => {
    const out = await logWith('pretty');
    expect(() => JSON.parse(out.split('\n')[0]!)).toThrow();
    expect(out).toMatch(/INFO.*\(probe\): supplier answered/);
    expect(out).toContain('supplier: "brightline"');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('tok_secret');
  }, 30_000);

  it('auto on a pipe (not a terminal): one JSON object per line, redacted', async () => {
    const out = await logWith('auto');
    const record = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, name: 'probe', msg: 'supplier answered', supplier: 'brightline' });
    expect(out).not.toContain('hunter2');
  }, 30_000);
});
