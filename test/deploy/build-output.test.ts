/**
 * The image runs compiled JavaScript (Dockerfile: `npm run build`, then `node dist/bin/…` with production
 * dependencies only). This builds dist/ the same way, then starts it with plain node — no TypeScript loader — and
 * asks the running gateway for health, readiness, a federated query and the offline IDE's assets.
 * There is no Docker engine here; the Dockerfile's shape is checked statically below.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe('npm run build: dist/ runs with plain node', () => {
  let work: string;
  let dist: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    // The Dockerfile's build stage: the build context (the repository less .dockerignore's top-level entries) with
    // node_modules installed, then `npm run build`. Its dist/, package.json and node_modules are the image's /app.
    work = mkdtempSync(path.join(os.tmpdir(), 'dropship-build-'));
    const ignored = new Set(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    for (const entry of readdirSync(ROOT)) {
      if (ignored.has(entry) || entry === 'node_modules') continue;
      cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true });
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    const built = spawnSync('npm', ['run', 'build'], { cwd: work, encoding: 'utf8', timeout: 240_000 });
    if (built.status !== 0) throw new Error(`npm run build in the build context failed (${built.status}):\n${built.stdout}\n${built.stderr}`);
    dist = path.join(work, 'dist');
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds JavaScript with .js imports and the files the code reads beside itself, and no TypeScript', () => {
    const files = filesUnder(dist);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.test.js'))).toEqual([]);
    for (const asset of ['schema/supergraph.graphql', 'schema/catalog.graphql', 'config/suppliers.json', 'bin/start.js']) expect(files).toContain(asset);
    // Every non-TS file of every compiled folder (WSDL/XSD, SDL, the console's assets, ...) sits beside its code.
    const folders = readdirSync(dist, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders).toEqual(expect.arrayContaining(['bin', 'gateway', 'schema', 'stack', 'config']));
    let assets = 0;
    for (const folder of folders) {
      for (const f of filesUnder(path.join(ROOT, folder)).filter((f) => !f.endsWith('.ts'))) {
        expect(files).toContain(`${folder}/${f}`);
        assets += 1;
      }
    }
    expect(assets).toBeGreaterThan(40);
    const tsImports = files
      .filter((f) => f.endsWith('.js'))
      .filter((f) => /\bfrom\s+["']\.{1,2}\/[^"']*\.ts["']|import\(["']\.{1,2}\/[^"']*\.ts["']\)|["']tsx["']/.test(readFileSync(path.join(dist, f), 'utf8')));
    expect(tsImports).toEqual([]);
  });

  it('node dist/bin/serve.js --help lists every role', { timeout: 60_000 }, () => {
    const r = spawnSync(process.execPath, ['dist/bin/serve.js', '--help'], { cwd: work, encoding: 'utf8', timeout: 50_000, env: { PATH: process.env['PATH'] ?? '' } });
    expect(r.status, r.stderr).toBe(0);
    for (const role of ['gateway', 'catalog', 'inventory', 'orders', 'access', 'ingest', 'jobs', 'supplier-brightline', 'supplier-harborpromo', 'supplier-maplecart']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${role}$`, 'm'));
    }
  });

  it('node dist/bin/serve.js catalog serves /healthz, /readyz and /metrics, and stops on SIGTERM', { timeout: 90_000 }, async () => {
    const proc = spawn(process.execPath, ['dist/bin/serve.js', 'catalog'], {
      cwd: work,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: '0', LOG_LEVEL: 'info', GATEWAY_SIGNING_SECRET: 'x'.repeat(48) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const lines: string[] = [];
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => lines.push(c));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "role listening" line within 60 s:\n${lines.join('').slice(-3000)}`)), 60_000);
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        lines.push(`${line}\n`);
        if (!line.includes('role listening')) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`dist/bin/serve.js catalog exited ${code}:\n${lines.join('').slice(-3000)}`));
      });
    });
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${origin}/readyz`)).json()).toMatchObject({ status: 'ready', role: 'catalog' });
    expect(await (await fetch(`${origin}/metrics`)).text()).toMatch(/^# HELP /m);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('node dist/bin/start.js serves health, readiness, a query and the IDE, and stops on SIGTERM', { timeout: 150_000 }, async () => {
    const proc = spawn(process.execPath, ['dist/bin/start.js'], {
      cwd: work,
      // Embedded stores and bundled sandboxes; nothing from the parent's environment (MONGO_URL etc.) leaks in.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', GATEWAY_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const output: string[] = [];
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => output.push(c));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Liveness:" line within 120 s:\n${output.join('').slice(-3000)}`)), 120_000);
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        output.push(`${line}\n`);
        const m = /Liveness:\s+(http:\/\/\S+)\/healthz/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`dist/bin/start.js exited ${code}:\n${output.join('').slice(-3000)}`));
      });
    });

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 2) { sku offers { __typename } } }' }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data?: { products: { sku: string; offers: unknown[] }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.products.length).toBe(2);
    const ide = await fetch(`${base}/ide/graphiql.js`);
    expect(ide.status).toBe(200);
    expect((await ide.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${base}/console/console.js`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  const final = stages.at(-1)!;

  it('builds with npm run build in a build stage and ships only dist/ and production dependencies', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^RUN npm run build$/m);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(final).toMatch(/^COPY --from=\S+ \/app\/dist \.\/dist$/m);
    expect(final).not.toMatch(/^COPY \. /m);
  });

  it('runs node on compiled JavaScript as a non-root user, with no TypeScript loader', () => {
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^CMD \["node", "dist\/bin\/start\.js"\]$/m);
    expect(text).not.toMatch(/\btsx\b/);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies)).not.toContain('typescript');
    expect(existsSync(path.join(ROOT, 'scripts/build.sh'))).toBe(true);
  });

  it('keeps the compose secrets file and .env out of the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'deploy/compose/dropship.env', 'node_modules', '.git']));
  });
});
