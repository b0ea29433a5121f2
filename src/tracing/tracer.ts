import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Link,
  type Span,
  type SpanKind,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

let cached: { provider: TracerProvider; tracer: Tracer } | undefined;

/**
 * The service's tracer from the provider registered now (a test process starts and stops several
 * SDKs), or the API's no-op one; made once per provider, not once per request.
 */
export function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer('plan-cache-service') };
  return cached.tracer;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
}

/**
 * Runs `work` in a span, the current span's child and current for what `work` starts; a thrown
 * error is recorded on it, the span ends when `work` settles. Outside a sampled span (tracing off,
 * a request not sampled, background upkeep) `work` simply runs: no orphan traces, nothing paid.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The trace and span ids of the current span, for log lines; empty outside a sampled span. */
export function currentTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return traceFlags & 1 ? { trace_id: traceId, span_id: spanId } : {};
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The current span as a W3C traceparent, or undefined outside a sampled span. */
export function currentTraceparent(): string | undefined {
  const { trace_id, span_id } = currentTraceIds();
  return trace_id && span_id ? `00-${trace_id}-${span_id}-01` : undefined;
}

/** A link to the span a W3C traceparent names, or none for anything else. */
export function linkTo(traceparent: string | undefined): Link[] {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  if (!match) return [];
  return [{ context: { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16), isRemote: true } }];
}
