import { expect } from 'vitest';
import { isRegistryError, type ErrorCode } from '../../kernel/errors.ts';

/** Awaits a call that must fail with the given registry error code; returns the error for further checks. */
export async function expectRegistryCode(call: Promise<unknown> | (() => Promise<unknown>), code: ErrorCode): Promise<Error> {
  const promise = typeof call === 'function' ? Promise.resolve().then(call) : call;
  const error = await promise.then(
    () => new Error(`expected ${code}, but the call succeeded`),
    (e: unknown) => e,
  );
  expect(isRegistryError(error), `expected a registry error ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}
