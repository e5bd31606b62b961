import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { helpText, parseCli, type CliIo } from './cli.ts';
import { startBanner } from './start-banner.ts';

const run = promisify(execFile);
const BIN = import.meta.dirname;
const ROOT = join(BIN, '..');

/** Every command in bin/: the .ts files no other bin file imports (those are helpers). */
function commands(): string[] {
  const files = readdirSync(BIN).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const imported = new Set(files.flatMap((f) => [...readFileSync(join(BIN, f), 'utf8').matchAll(/from '\.\/([\w-]+\.ts)'/g)].map((m) => m[1]!)));
  return files.filter((f) => !imported.has(f));
}

async function runBin(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(BIN, file), ...args], { cwd: ROOT, timeout: 30_000, env: { ...process.env, LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; killed?: boolean };
    if (e.killed) throw new Error(`${file} ${args.join(' ')} did not exit: it started working instead of answering`);
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs `work` over `items`, `n` at a time (each is a Node process; the machine has two cores). */
async function inBatches<T, R>(items: readonly T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += n) results.push(...(await Promise.all(items.slice(i, i + n).map(work))));
  return results;
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

describe('every CLI in bin/ (child processes)', () => {
  type Run = { file: string; args: string; code: number; stdout: string; stderr: string };
  let runs: Run[] = [];
  // Every bin twice (--help, an unknown flag), four processes at a time: each loads its whole import graph first.
  beforeAll(async () => {
    const cases = commands().flatMap((file) => [[file, '--help'], [file, '--no-such-flag']] as const);
    runs = await inBatches(cases, 4, async ([file, args]) => ({ file, args, ...(await runBin(file, [args])) }));
  }, 150_000);

  it('finds the commands', () => {
    expect(commands()).toEqual(expect.arrayContaining(['start.ts', 'gateway.ts', 'serve.ts', 'import.ts', 'reconcile.ts', 'credentials.ts', 'tokens.ts', 'compose.ts', 'sandbox.ts', 'client-schema.ts']));
  });

  it('answers --help with a usage on stdout and exit 0, and starts nothing', () => {
    for (const r of runs.filter((r) => r.args === '--help')) {
      expect(r.code, `${r.file}: ${r.stderr}`).toBe(0);
      expect(r.stdout, r.file).toMatch(/^usage: /m);
      expect(r.stdout + r.stderr, r.file).not.toMatch(STACK_TRACE);
    }
  });

  it('refuses an unknown flag with a message and a non-zero exit, without a stack trace', () => {
    for (const r of runs.filter((r) => r.args === '--no-such-flag')) {
      expect(r.code, r.file).not.toBe(0);
      expect(r.stderr, r.file).toMatch(/--no-such-flag/);
      expect(r.stdout + r.stderr, r.file).not.toMatch(STACK_TRACE);
    }
  });
});

describe('parseCli', () => {
  const spec = { usage: ['npm run thing [-- --dry]'], description: 'Does the thing.', options: { dry: { type: 'boolean' as const, description: 'change nothing' }, out: { type: 'string' as const, description: 'where' } }, environment: ['MONGO_URL'] };
  class Exit extends Error {
    constructor(readonly code: number) {
      super(`exit ${code}`);
    }
  }
  const io = () => {
    const seen = { out: '', err: '' };
    const handle: CliIo = { out: (t) => void (seen.out += t), err: (t) => void (seen.err += t), exit: (code) => { throw new Exit(code); } };
    return { seen, handle };
  };

  it('parses known options', () => {
    expect(parseCli(spec, ['--dry', '--out', 'x'], io().handle).values).toEqual({ dry: true, out: 'x' });
  });

  it('prints help with every option and setting', () => {
    const { seen, handle } = io();
    expect(() => parseCli(spec, ['-h'], handle)).toThrow(new Exit(0));
    expect(seen.out).toBe(helpText(spec));
    expect(seen.out).toContain('--dry');
    expect(seen.out).toContain('--out <value>');
    expect(seen.out).toContain('MONGO_URL');
  });

  it('refuses an unknown option, a missing value and a stray positional with exit 2', () => {
    for (const argv of [['--nope'], ['--out'], ['stray']]) {
      const { seen, handle } = io();
      expect(() => parseCli(spec, argv, handle)).toThrow(new Exit(2));
      expect(seen.err).toMatch(/^error: /);
      expect(seen.err).toContain('usage: npm run thing');
    }
  });
});

describe('start banner', () => {
  it('lists every bundled sandbox with its URL and development credentials', () => {
    const text = startBanner({
      graphqlUrl: 'http://127.0.0.1:4000/graphql',
      gatewayUrl: 'http://127.0.0.1:4000',
      sandboxes: new Map<string, { kind: string; url: string; credentials: Record<string, string>; webhookSecret: string | null }>([
        ['brightline', { kind: 'rest', url: 'http://127.0.0.1:41001', credentials: { clientId: 'bl-dev', clientSecret: 'bl-secret' }, webhookSecret: 'whsec_bl' }],
        ['harborpromo', { kind: 'soap', url: 'http://127.0.0.1:41002', credentials: { id: 'hp-dev', password: 'hp-pass' }, webhookSecret: null }],
      ]),
      pending: [],
      exampleQuery: '{ products(first: 1) { sku } }',
    });
    expect(text).toMatch(/brightline\s+rest\s+http:\/\/127\.0\.0\.1:41001/);
    expect(text).toContain('clientId=bl-dev  clientSecret=bl-secret');
    expect(text).toContain('webhook signing secret  whsec_bl');
    expect(text).toMatch(/harborpromo\s+soap\s+http:\/\/127\.0\.0\.1:41002/);
    expect(text).toContain('id=hp-dev  password=hp-pass');
    expect(text).toContain('http://127.0.0.1:4000/metrics');
  });
});
