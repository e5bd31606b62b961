import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../../kernel/errors.ts';
import { withDeadline } from './timeout.ts';

const opts = (signal: AbortSignal, timeoutMs: number) => ({ signal, timeoutMs, supplier: 'acme', operation: 'getStock' });
const never = () => new Promise<never>(() => {});

describe('withDeadline', () => {
  it('returns the result of a call that finishes in time', async () => {
    await expect(withDeadline(async () => 42, opts(new AbortController().signal, 100))).resolves.toBe(42);
  });

  it('turns an overrun into SUPPLIER_TIMEOUT even when the call ignores its signal', async () => {
    const started = Date.now();
    await expect(withDeadline(never, opts(new AbortController().signal, 50))).rejects.toMatchObject({ code: 'SUPPLIER_TIMEOUT', errorClass: 'transient', supplier: 'acme' });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('turns a caller abort into CALL_ABORTED and aborts the inner signal', async () => {
    const controller = new AbortController();
    let inner: AbortSignal | undefined;
    setTimeout(() => controller.abort(), 20);
    await expect(withDeadline((signal) => {
      inner = signal;
      return never();
    }, opts(controller.signal, 5_000))).rejects.toMatchObject({ code: 'CALL_ABORTED' });
    expect(inner?.aborted).toBe(true);
  });

  it('reports a transport error caused by the deadline as the timeout it was', async () => {
    await expect(withDeadline((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('socket hang up')))), opts(new AbortController().signal, 30)))
      .rejects.toMatchObject({ code: 'SUPPLIER_TIMEOUT' });
  });

  it('passes registry errors through unchanged', async () => {
    await expect(withDeadline(async () => {
      throw new RegistryError('SUPPLIER_REJECTED', 'bad sku');
    }, opts(new AbortController().signal, 100))).rejects.toMatchObject({ code: 'SUPPLIER_REJECTED' });
  });
});
