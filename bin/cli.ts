/**
 * The command line of every bin/: `--help` (or `-h`) says what the command does, its options and the settings it
 * reads, and exits 0; an unknown option or a missing value prints the problem and the usage and exits 2 — never a
 * stack trace. Entry points only (console output is theirs).
 */
import { parseArgs } from 'node:util';

export interface CliOption {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  readonly description: string;
}

export interface CliSpec {
  /** Usage lines, e.g. `npm run reconcile [-- --report-only]`. */
  readonly usage: readonly string[];
  /** What the command does, in a sentence or two. */
  readonly description: string;
  readonly options?: Readonly<Record<string, CliOption>>;
  /** Whether positional arguments (a sub-command, a slug) are taken. @default false */
  readonly positionals?: boolean;
  /** Settings from the environment worth naming here (docs/configuration.md lists them all). */
  readonly environment?: readonly string[];
}

export interface ParsedCli {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

export function helpText(spec: CliSpec): string {
  const lines = [`usage: ${spec.usage[0] ?? ''}`, ...spec.usage.slice(1).map((u) => `       ${u}`), '', spec.description, ''];
  const options = Object.entries(spec.options ?? {});
  lines.push('options:');
  for (const [name, o] of options) lines.push(`  ${`${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(28)}${o.description}`);
  lines.push(`  ${'-h, --help'.padEnd(28)}this help`);
  if (spec.environment && spec.environment.length > 0) lines.push('', `settings read from the environment: ${spec.environment.join(', ')} (docs/configuration.md)`);
  return `${lines.join('\n')}\n`;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  exit(code: number): never;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/** Parses argv by the spec; `--help` and mistakes end the process here (see the file comment). */
export function parseCli(spec: CliSpec, argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo): ParsedCli {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(helpText(spec));
    return io.exit(0);
  }
  const options = Object.fromEntries(Object.entries(spec.options ?? {}).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: spec.positionals ?? false, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    // node:util's messages name the option; its advice about '--' is for positionals, noise here.
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    io.err(`error: ${message}\n\n${helpText(spec)}`);
    return io.exit(2);
  }
}
