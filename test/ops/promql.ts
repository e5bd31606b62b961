/**
 * What the ops files (alert rules, dashboard panels) ask Prometheus for, checked against what the code registers, so
 * neither can drift from the metrics: a renamed metric fails a test instead of leaving an alert that never fires.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Registry } from 'prom-client';
import { parse } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
export const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus');
export const RULES_FILE = join(PROMETHEUS_DIR, 'alerts.yml');

const run = promisify(execFile);

/** Debian's `prometheus` package (scripts/test-services.sh installs it): a missing tool fails the test, never skips it. */
export function toolPath(name: 'promtool' | 'prometheus'): string {
  for (const dir of (process.env['PATH'] ?? '').split(':').concat('/usr/bin', '/usr/local/bin')) {
    const path = join(dir, name);
    if (dir !== '' && existsSync(path)) return path;
  }
  throw new Error(`${name} is not installed: run scripts/test-services.sh start (it installs Debian's prometheus package)`);
}

export async function promtool(args: readonly string[], cwd = PROMETHEUS_DIR): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(toolPath('promtool'), [...args], { cwd, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export async function readRules(path = RULES_FILE): Promise<{ groups: { name: string; rules: AlertRule[] }[] }> {
  return parse(await readFile(path, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2']);

/**
 * The metric names a PromQL expression selects. Good enough for our own expressions, not a PromQL parser: strings,
 * label matchers, ranges and grouping label lists are removed, then every identifier that is not a function call
 * or a keyword is a metric name.
 */
export function metricNamesOf(expr: string): Set<string> {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (match[2] !== undefined || KEYWORDS.has(match[1]!)) continue;
    names.add(match[1]!);
  }
  return names;
}

/** Every series name a registry can expose: histograms add `_bucket`, `_sum` and `_count`, summaries `_sum` and `_count`. */
export async function seriesNamesOf(registry: Registry): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    const type = String(metric.type);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

/** The same from a `/metrics` text: `# TYPE` lines name every registered metric, observed or not. */
export function seriesNamesOfText(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
  }
  return names;
}
