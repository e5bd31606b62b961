import { z } from 'zod';

/**
 * The standard OpenTelemetry settings this product reads (docs/configuration.md, "Traces"), validated with the rest
 * of the configuration in platform/config.ts. Tracing is off unless an OTLP endpoint is set: off registers nothing
 * (the API stays on its no-op path) and our code creates no span objects.
 */
export const tracingSettings = {
  OTEL_SDK_DISABLED: z.enum(['true', 'false', '']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(128).default('dropship-graph'),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
};

export type SamplerKind = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface TracingConfig {
  /** True when an OTLP endpoint is set and OTEL_SDK_DISABLED is not `true`. */
  readonly enabled: boolean;
  /** OTEL_SDK_DISABLED=true: off whatever else is set. */
  readonly sdkDisabled: boolean;
  /** Where spans are POSTed (OTLP/HTTP JSON): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
  readonly endpoint: string | undefined;
  readonly serviceName: string;
  readonly sampler: SamplerKind;
  /** The ratio of the `*traceidratio` samplers (OTEL_TRACES_SAMPLER_ARG, default 1). */
  readonly ratio: number;
}

type Parsed = z.infer<z.ZodObject<typeof tracingSettings>>;

export function tracingConfigOf(e: Parsed): TracingConfig {
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
  return Object.freeze({
    enabled: endpoint !== undefined && e.OTEL_SDK_DISABLED !== 'true',
    sdkDisabled: e.OTEL_SDK_DISABLED === 'true',
    endpoint,
    serviceName: e.OTEL_SERVICE_NAME,
    sampler: e.OTEL_TRACES_SAMPLER,
    ratio: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
  });
}
