/**
 * A value scoped to an async call tree, kept in ONE AsyncLocalStorage per process: the OpenTelemetry context
 * manager's when tracing is on (a key in the active context), a private one when it is off. Why: on Node 20 every
 * enabled AsyncLocalStorage adds work to every promise the process creates; a second one (the gateway's signed
 * fetches beside the trace context) measurably slowed a whole request (docs/benchmarks.md, "Tracing overhead").
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey } from '@opentelemetry/api';
import { tracingActive } from './spans.ts';

export interface AsyncScope<T> {
  /** Runs `fn` with `value` visible to everything it calls, synchronously or not. */
  run<R>(value: T, fn: () => R): R;
  get(): T | undefined;
}

export function createAsyncScope<T>(name: string): AsyncScope<T> {
  const own = new AsyncLocalStorage<T>();
  const key = createContextKey(name);
  return {
    run: (value, fn) => (tracingActive() ? context.with(context.active().setValue(key, value), fn) : own.run(value, fn)),
    // Both places: a call tree entered just before tracing started or stopped still finds its value.
    get: () => (tracingActive() ? (context.active().getValue(key) as T | undefined) : undefined) ?? own.getStore(),
  };
}
