import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, MinLength } from 'class-validator';
import { emptyToUndefined, IntSetting, NumberSetting } from './setting-decorators.js';
import { RedisVariables } from './redis-variables.js';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** OpenTelemetry's standard variables, of those the service honours. Traces are off without an endpoint. */
export class TracingVariables extends RedisVariables {
  /** The OTLP/HTTP collector, e.g. http://otel-collector:4318; traces go to <endpoint>/v1/traces. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' },
  )
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsIn(OTLP_PROTOCOLS, {
    message: `OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')} (grpc is not supported)`,
  })
  OTEL_EXPORTER_OTLP_PROTOCOL: (typeof OTLP_PROTOCOLS)[number] = 'http/protobuf';

  @IsString()
  @MinLength(1)
  OTEL_SERVICE_NAME = 'plan-cache-service';

  @IsIn(TRACE_SAMPLERS)
  OTEL_TRACES_SAMPLER: (typeof TRACE_SAMPLERS)[number] = 'parentbased_always_on';

  /** The ratio of the traceidratio samplers. */
  @NumberSetting(0, 1)
  OTEL_TRACES_SAMPLER_ARG = 1;

  /** How long finished spans wait to be sent together, milliseconds. */
  @IntSetting(1, 600_000)
  OTEL_BSP_SCHEDULE_DELAY = 5000;
}

export interface TracingSettings {
  /** Unset: no tracing at all (no SDK, no hooks). */
  endpoint?: string;
  protocol: (typeof OTLP_PROTOCOLS)[number];
  serviceName: string;
  sampler: (typeof TRACE_SAMPLERS)[number];
  samplerRatio: number;
  scheduleDelayMs: number;
}

export function tracingSettingsOf(env: TracingVariables): TracingSettings {
  return {
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
    serviceName: env.OTEL_SERVICE_NAME,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG,
    scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
  };
}
