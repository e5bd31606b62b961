import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

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
];

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.name === undefined ? {} : { name: options.name }),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}

/** For tests and tools that must not print. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
