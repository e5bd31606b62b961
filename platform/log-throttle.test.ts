import { describe, expect, it } from 'vitest';
import type { Logger } from './logger.ts';
import { briefError, createLogThrottle } from './log-throttle.ts';

function recordingLog() {
  const lines: { level: string; fields: unknown; msg: string }[] = [];
  const at = (level: string) => (fields: unknown, msg: string) => void lines.push({ level, fields, msg });
  return { log: { warn: at('warn'), info: at('info'), error: at('error') } as unknown as Logger, lines };
}

describe('createLogThrottle', () => {
  it('logs a key once per window and says how many were held back on its next line', () => {
    let now = 0;
    const throttle = createLogThrottle({ windowMs: 1_000, now: () => now });
    const { log, lines } = recordingLog();
    for (let i = 0; i < 5; i += 1) throttle.warn(log, 'brightline:SUPPLIER_UNAVAILABLE', { supplier: 'brightline' }, 'poll failed');
    throttle.warn(log, 'maplecart:SUPPLIER_UNAVAILABLE', { supplier: 'maplecart' }, 'poll failed');
    expect(lines.map((l) => l.fields)).toEqual([{ supplier: 'brightline' }, { supplier: 'maplecart' }]);
    now = 1_500;
    throttle.warn(log, 'brightline:SUPPLIER_UNAVAILABLE', { supplier: 'brightline' }, 'poll failed');
    expect(lines[2]).toEqual({ level: 'warn', fields: { supplier: 'brightline', suppressed: 4, suppressedSinceMs: 1_500 }, msg: 'poll failed' });
    now = 3_000;
    throttle.log('info', log, 'brightline:SUPPLIER_UNAVAILABLE', { supplier: 'brightline' }, 'poll failed');
    expect(lines[3]).toEqual({ level: 'info', fields: { supplier: 'brightline' }, msg: 'poll failed' });
  });

  it('forgets the oldest key past maxKeys', () => {
    const throttle = createLogThrottle({ windowMs: 60_000, maxKeys: 2, now: () => 0 });
    const { log, lines } = recordingLog();
    for (const key of ['a', 'b', 'c', 'a']) throttle.warn(log, key, { key }, 'm');
    expect(lines).toHaveLength(4);
  });
});

describe('briefError', () => {
  it('keeps code, class, supplier and message, never the stack', () => {
    const error = Object.assign(new Error('503 from supplier'), { name: 'RegistryError', code: 'SUPPLIER_UNAVAILABLE', errorClass: 'transient', supplier: 'brightline' });
    expect(briefError(error)).toEqual({ code: 'SUPPLIER_UNAVAILABLE', errorClass: 'transient', supplier: 'brightline', error: '503 from supplier' });
    expect(JSON.stringify(briefError(error))).not.toContain('at ');
    expect(briefError('boom')).toEqual({ error: 'boom' });
  });
});
