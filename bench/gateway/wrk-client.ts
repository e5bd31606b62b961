/**
 * `--client wrk` of `npm run bench:gateway`: wrk 4.1 (`apt install wrk`), one thread pinned to core 0, as a lighter
 * load generator than autocannon. At ~1,000 requests/s of 91 KB answers autocannon's JavaScript parsing and
 * comparing saturates core 0 before the gateway's core 1 does, so its p99 measures the client. wrk's loop is C; the
 * check stays as strict: a Lua `response()` compares EVERY answer's status and whole body with the baseline's
 * (exact string equality), and `done()` prints the counts and wrk's latency percentiles on one parseable line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured (or warm-up) window, reduced to what the table needs; run.ts turns autocannon's result into it too. */
export interface LoadResult {
  /** Completed responses, non-2xx included. */
  readonly requests: number;
  readonly durationS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** 2xx answers whose body differs from the baseline's. */
  readonly mismatches: number;
  readonly non2xx: number;
  /** Connection, read and write errors and timeouts. */
  readonly errors: number;
}

/** The path of wrk, or a clear failure: the bench does not fall back to another client behind the user's back. */
export function requireWrk(): string {
  try {
    return execFileSync('which', ['wrk'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('--client wrk: wrk is not installed (Debian/Ubuntu: `apt install wrk`), or run with --client autocannon');
  }
}

const MARK = 'WRK_RESULT ';

/**
 * The Lua script: request body and expected answer are read from files (a 91 KB Lua string literal would need
 * escaping), in every thread's Lua state. Counters live in each thread's state; `done()` runs in the main state and
 * reads them through the thread handles `setup()` kept (wrk's documented pattern).
 */
const script = (bodyPath: string, expectedPath: string, badPath: string): string => `
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = slurp(${JSON.stringify(bodyPath)})
local expected = slurp(${JSON.stringify(expectedPath)})

mismatches = 0
non2xx = 0
local reported = false

local function report(status, body)
  if reported then return end
  reported = true
  local f = io.open(${JSON.stringify(badPath)}, "wb")
  if f then
    f:write(tostring(status), "\\n", string.sub(body or "", 1, 600))
    f:close()
  end
end

response = function(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    report(status, body)
  elseif body ~= expected then
    mismatches = mismatches + 1
    report(status, body)
  end
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local m, n = 0, 0
  for _, t in ipairs(threads) do
    m = m + t:get("mismatches")
    n = n + t:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    '${MARK}{"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"mismatches":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    m, n, e.connect, e.read, e.write, e.timeout))
end
`;

/** Writes the script and its two data files into the bench's temp dir; returns what `runWrk` needs. */
export function prepareWrk(dir: string, body: string, expected: string): { script: string; bad: string } {
  const bodyPath = join(dir, 'wrk-body.json');
  const expectedPath = join(dir, 'wrk-expected.json');
  const bad = join(dir, 'wrk-first-bad.txt');
  const scriptPath = join(dir, 'wrk-check.lua');
  writeFileSync(bodyPath, body);
  writeFileSync(expectedPath, expected);
  writeFileSync(scriptPath, script(bodyPath, expectedPath, bad));
  return { script: scriptPath, bad };
}

/** One window of `durationS` seconds: `taskset -c 0 wrk -t1 -c<connections> -d<durationS>s --timeout 20s -s script url`. */
export function runWrk(options: { wrk: string; script: string; url: string; connections: number; durationS: number }): Promise<LoadResult> {
  const child = spawn('taskset', ['-c', '0', options.wrk, '-t1', `-c${options.connections}`, `-d${options.durationS}s`, '--timeout', '20s', '-s', options.script, options.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited ${code} without its result line:\n${out}${err}`));
        return;
      }
      const r = JSON.parse(line.slice(MARK.length)) as {
        requests: number; durationUs: number; p50Us: number; p99Us: number; mismatches: number; non2xx: number; connect: number; read: number; write: number; timeout: number;
      };
      resolve({
        requests: r.requests,
        durationS: r.durationUs / 1e6,
        // wrk's histogram is in µs; ms with one decimal, as the table prints them.
        p50Ms: Math.round(r.p50Us / 100) / 10,
        p99Ms: Math.round(r.p99Us / 100) / 10,
        mismatches: r.mismatches,
        non2xx: r.non2xx,
        errors: r.connect + r.read + r.write + r.timeout,
      });
    });
  });
}
