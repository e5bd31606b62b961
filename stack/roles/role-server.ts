/**
 * Health, readiness and metrics for every role's HTTP server (docs/architecture.md, "Roles"). Liveness (/healthz)
 * is 200 while the process serves, naming stores that are down; readiness (/readyz) turns 503 the moment a
 * shutdown starts, so a load balancer stops sending new work before the drain, and otherwise says what the role
 * holds (a `jobs` process: its singleton leases).
 */
import { sendJson } from '../../platform/http/body.ts';
import { listen, type Route, type RunningServer } from '../../platform/http/listen.ts';
import { createMetricsHandler } from '../../platform/metrics.ts';
import type { RoleBase } from './role-base.ts';

export interface RoleReadiness {
  /** Flips /readyz to 503. */
  stop(): void;
  readonly stopping: boolean;
  readonly route: Route;
}

export function roleReadiness(role: string, base: RoleBase, extra?: () => Record<string, unknown>): RoleReadiness {
  let stopping = false;
  return {
    stop: () => {
      stopping = true;
    },
    get stopping() {
      return stopping;
    },
    route: (_req, res) => {
      if (stopping) return sendJson(res, 503, { status: 'stopping', role });
      sendJson(res, 200, { status: 'ready', role, dependencies: base.stores.health(), ...extra?.() });
    },
  };
}

/** A role without a subgraph (`ingest`, `jobs`): its own routes plus /healthz, /readyz and /metrics. */
export function listenRole(role: string, base: RoleBase, port: number, readiness: RoleReadiness, routes: Readonly<Record<string, Route>> = {}): Promise<RunningServer> {
  return listen(
    {
      ...routes,
      '/healthz': (_req, res) => {
        const dependencies = base.stores.health();
        const degraded = dependencies.filter((d) => !d.up).map((d) => d.name);
        sendJson(res, 200, { status: degraded.length > 0 ? 'degraded' : 'ok', role, dependencies, ...(degraded.length > 0 ? { degraded } : {}) });
      },
      '/readyz': readiness.route,
      '/metrics': createMetricsHandler(base.metrics.registry),
    },
    port,
    base.config.host,
  );
}
