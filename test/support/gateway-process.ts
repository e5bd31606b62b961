/** Gateway processes for the multi-instance suites: bin/gateway.ts as deployed, beside a test's own stack. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Stack } from '../../stack/start-stack.ts';

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Its /graphql URL. */
  readonly url: string;
  /** SIGTERM, resolving once the process exited (its graceful close ran). */
  stop(): Promise<number | null>;
}

/** The environment a gateway process needs to serve `stack`'s subgraphs on the same Redis (and MongoDB). */
export function gatewayEnvFor(stack: Stack, config: { keyPrefix: string; mongoDb: string }, signingSecret: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'info',
    REDIS_URL: process.env.REDIS_URL!,
    KEY_PREFIX: config.keyPrefix,
    GATEWAY_SIGNING_SECRET: signingSecret,
    ...(process.env.MONGO_URL ? { MONGO_URL: process.env.MONGO_URL, MONGO_DB: config.mongoDb } : {}),
    ...extra,
  };
  for (const [name, server] of stack.subgraphs) env[`SUBGRAPH_URL_${name.toUpperCase().replaceAll('-', '_')}`] = `${server.url}/graphql`;
  return env;
}

/** Starts bin/gateway.ts and resolves with its /graphql URL, read from its "gateway listening" log line. */
export function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/gateway.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway process did not start')), 60_000);
    child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'gateway listening' && entry.url) {
          clearTimeout(timer);
          resolve({
            child,
            url: entry.url,
            stop: async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              return exited;
            },
          });
        }
      } catch {
        // not a log line
      }
    });
  });
}
