/**
 * The adaptive admission gate's state on /metrics (docs/operations.md): the current limit, operations running and
 * waiting, and refusals. Read at scrape time, so the gate itself never touches prom-client.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AdmissionGate } from '../platform/http/admission-gate.ts';

export interface AdmissionMetrics {
  refused(): void;
}

export function registerAdmissionMetrics(registry: Registry, gate: AdmissionGate): AdmissionMetrics {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  gauge('gateway_admission_limit', 'Operations the adaptive admission gate lets run at once now', () => gate.snapshot().limit);
  gauge('gateway_admission_running', 'Operations running (admitted, answer not yet written)', () => gate.snapshot().running);
  gauge('gateway_admission_waiting', 'Operations waiting for their turn', () => gate.snapshot().waiting);
  const refused = new Counter({ name: 'gateway_admission_refused_total', help: 'Operations refused with GATEWAY_SATURATED after waiting half their budget', registers: [registry] });
  return { refused: () => refused.inc() };
}
