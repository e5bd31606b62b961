/**
 * CPU accounting for bench:scale, from /proc: CPU time of a process together with its descendants (a role that
 * forks counts its children), per named group of processes, and of the whole machine, over a measured window.
 * Linux only, as the bench is.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, in seconds. */
  readonly own: number;
  /** cutime + cstime: children that exited and were waited for, in seconds. */
  readonly reaped: number;
}

/** Every process on the machine now: parent and CPU seconds so far. */
function allProcesses(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ") ".
      const f = text.slice(text.lastIndexOf(') ') + 2).split(' ');
      out.set(Number(entry), { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / CLK_TCK, reaped: (Number(f[13]) + Number(f[14])) / CLK_TCK });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * CPU seconds of each root plus all its live descendants, from one snapshot of /proc, plus the children it reaped
 * unless `ownOnly` holds it (the bench process: the load generators it reaps are counted apart).
 */
function treeCpu(roots: readonly number[], ownOnly: ReadonlySet<number>): Map<number, number> {
  const procs = allProcesses();
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const out = new Map<number, number>();
  for (const root of roots) {
    let sum = 0;
    const stack = [root];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const pid = stack.pop()!;
      if (seen.has(pid)) continue;
      seen.add(pid);
      const p = procs.get(pid);
      sum += (p?.own ?? 0) + (ownOnly.has(root) ? 0 : (p?.reaped ?? 0));
      // The bench process's own descendants are other tracked roots (role processes): never count them twice.
      for (const child of children.get(pid) ?? []) if (!roots.includes(child)) stack.push(child);
    }
    out.set(root, sum);
  }
  return out;
}

/** Machine-wide busy and total jiffies (all cores), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already inside user
  return { busy: total - n[3]! - n[4]!, total };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** A tracked process: its name (`gateway-1`), its group (`gateway`) and pid. */
export interface Tracked {
  readonly name: string;
  readonly group: string;
  readonly pid: number;
  /** Leave out the CPU of children it has reaped (the bench process, whose children are tracked apart). */
  readonly ownOnly?: boolean;
}

export interface CpuWindow {
  readonly seconds: number;
  /** CPU seconds per process name. */
  readonly perProcess: Map<string, number>;
  /** The group of each process name. */
  readonly groupOf: Map<string, string>;
  /** CPU seconds per group, and how many processes it had. */
  readonly perGroup: Map<string, { cpu: number; processes: number }>;
  /** The whole machine, in % of one core (cores × 100 % is everything). */
  readonly machinePct: number;
  /** The machine minus everything tracked: other people's work on a shared machine. */
  readonly othersPct: number;
}

/** Starts a window; `end()` gives what each tracked process and the machine used since. */
export function startCpuWindow(tracked: readonly Tracked[]): { end(): CpuWindow } {
  const roots = tracked.map((t) => t.pid);
  const ownOnly = new Set(tracked.filter((t) => t.ownOnly).map((t) => t.pid));
  const before = treeCpu(roots, ownOnly);
  const m0 = machineJiffies();
  const t0 = performance.now();
  return {
    end: () => {
      const after = treeCpu(roots, ownOnly);
      const m1 = machineJiffies();
      const seconds = (performance.now() - t0) / 1000;
      const perProcess = new Map<string, number>();
      const perGroup = new Map<string, { cpu: number; processes: number }>();
      for (const t of tracked) {
        const used = Math.max(0, (after.get(t.pid) ?? 0) - (before.get(t.pid) ?? 0));
        perProcess.set(t.name, used);
        const g = perGroup.get(t.group) ?? { cpu: 0, processes: 0 };
        perGroup.set(t.group, { cpu: g.cpu + used, processes: g.processes + 1 });
      }
      const machinePct = ((100 * (m1.busy - m0.busy)) / (m1.total - m0.total)) * cpus().length;
      const ours = [...perProcess.values()].reduce((a, b) => a + b, 0);
      return { seconds, perProcess, groupOf: new Map(tracked.map((t) => [t.name, t.group])), perGroup, machinePct, othersPct: Math.max(0, machinePct - (100 * ours) / seconds) };
    },
  };
}
