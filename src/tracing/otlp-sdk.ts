import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from '../config/index.js';

/**
 * Starts OpenTelemetry's SDK: W3C trace context, spans sent in batches over OTLP/HTTP (protobuf or
 * JSON), the configured sampler. No automatic instrumentation (the service is ES modules, which it
 * cannot patch): the spans are the service's own, made where the work happens. Loaded only when an
 * endpoint is configured (tracing-sdk.ts): it and its exporters are 20 MB of heap a service without
 * traces never uses. Answers the SDK's shutdown.
 */
export function startOtlpSdk(settings: TracingSettings & { endpoint: string }): () => Promise<void> {
  const url = `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const exporter =
    settings.protocol === 'http/json' ? new JsonTraceExporter({ url }) : new ProtobufTraceExporter({ url });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    autoDetectResources: false,
    contextManager: new AsyncLocalStorageContextManager(),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: settings.scheduleDelayMs })],
    sampler: samplerOf(settings),
    instrumentations: [],
  });
  sdk.start();
  return async () => {
    await sdk.shutdown();
    // Unregistered, so that another SDK may start in this process (the e2e suites start several).
    trace.disable();
    context.disable();
    propagation.disable();
  };
}

function samplerOf({ sampler, samplerRatio }: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(samplerRatio);
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
