import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import { CENSOR, redactForLog, scrubText } from './log-redaction.ts';

/** The logger every module receives (never imports). Child loggers carry { supplier, op, requestId }. */
export type Logger = PinoLogger;

/**
 * Paths redacted everywhere: credentials, tokens and personal data. Redaction is by path so a new field
 * with one of these names is covered without touching call sites.
 */
export const REDACTED_PATHS = [
  'password', '*.password', 'secret', '*.secret', 'clientSecret', '*.clientSecret', 'token', '*.token',
  'accessToken', '*.accessToken', 'authorization', '*.authorization', 'headers.authorization',
  'req.headers.authorization', 'req.headers.cookie', 'apiKey', '*.apiKey', 'credentials', '*.credentials',
  'shipTo', '*.shipTo', 'email', '*.email', 'phone', '*.phone', 'address', '*.address',
  'clientId', '*.clientId', 'cookie', '*.cookie', 'req.headers["x-api-key"]', 'headers["x-shopify-access-token"]',
  '*.headers["x-shopify-access-token"]', 'signature', '*.signature',
];

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: DestinationStream;
  /**
   * `json`: one JSON object per line. `pretty`: human-readable, coloured lines (pino-pretty). `auto`: pretty when the
   * output is a terminal (`destination` unset and stdout a TTY), JSON otherwise (LOG_FORMAT, docs/configuration.md).
   * @default 'json'
   */
  readonly format?: 'auto' | 'json' | 'pretty';
}

/** Whether `format` means human-readable lines on an output that is a terminal or not. */
export function wantsPretty(format: LoggerOptions['format'], isTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal);
}

/**
 * pino-pretty as the logger's stream, in process and synchronous, so a line is on the terminal before the next
 * statement and nothing is lost at exit. It formats records pino has already redacted: same redaction as JSON.
 */
function prettyDestination(colorize: boolean): DestinationStream {
  return prettyStream({ destination: 1, sync: true, colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

/**
 * Every record passes two layers: pino's path redaction (REDACTED_PATHS) and platform/log-redaction.ts, which
 * redacts by key at any depth, serialises errors with their causes, and scrubs secrets and e-mail addresses out of
 * every string, the message included. Child bindings get the same treatment.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.destination === undefined && wantsPretty(options.format, process.stdout.isTTY === true);
  const destination = pretty ? prettyDestination(process.stdout.isTTY === true) : options.destination;
  const errSerializer = (value: unknown) => redactForLog(value);
  const logger = pino(
    {
      level: options.level ?? 'info',
      ...(options.name === undefined ? {} : { name: options.name }),
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      serializers: { err: errSerializer, error: errSerializer, cause: errSerializer },
      formatters: {
        log: (object) => redactForLog(object) as Record<string, unknown>,
        bindings: (bindings) => redactForLog(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // log.error(err) takes its message from the error: make it an ordinary { err } record with a scrubbed one.
          const [first, second] = args as unknown[];
          if (first instanceof Error && typeof second !== 'string') {
            return method.apply(this, [{ err: first }, scrubText(first.message)] as unknown as Parameters<typeof method>);
          }
          const scrubbed = (args as unknown[]).map((arg, i) => (typeof arg === 'string' ? scrubText(arg) : i === 0 ? arg : redactForLog(arg)));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // pino applies `formatters.bindings` to the root only; children inherit this override (they are Object.create(parent)).
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactForLog(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}

/** For tests and tools that must not print. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
