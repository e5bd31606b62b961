import { closeSync, openSync, readSync } from 'node:fs';

/**
 * CPU time of the main thread alone, in milliseconds, or undefined where the kernel does not say (not Linux).
 * `process.cpuUsage()` counts every thread of the process: V8's compiler and GC helper threads, libuv's pool. A
 * fan-out of 1,000 deliveries takes a few milliseconds, and background work set off by what ran just before it
 * (compiling the entity resolution's code, marking the heap it allocated) lands in that window — a process-wide
 * figure then charges it to the deliveries. Linux keeps each thread's time on CPU in nanoseconds
 * (`/proc/thread-self/schedstat`, first field); the file is opened once, from the main thread, and re-read in place.
 */
export function createMainThreadCpuClock(): () => number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return () => undefined;
  }
  const buffer = Buffer.alloc(64);
  return () => {
    if (fd === undefined) return undefined;
    try {
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      const end = buffer.indexOf(0x20);
      const ns = Number(buffer.toString('latin1', 0, end > 0 && end < length ? end : length));
      return Number.isFinite(ns) ? ns / 1e6 : undefined;
    } catch {
      closeSync(fd);
      fd = undefined;
      return undefined;
    }
  };
}
