import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentTraceIds, currentTraceparent, inSpan, linkTo, tracer } from './tracer.js';

describe('tracer helpers', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });

  afterAll(() => {
    trace.disable();
    context.disable();
  });

  beforeEach(() => exporter.reset());

  it('gives log lines the ids of the current sampled span, and nothing outside one', async () => {
    expect(currentTraceIds()).toEqual({});
    await tracer().startActiveSpan('request', async (span) => {
      await Promise.resolve();
      expect(currentTraceIds()).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      expect(currentTraceparent()).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      span.end();
    });
  });

  it('makes child spans inside a request only, never orphan roots', async () => {
    await inSpan('background', {}, () => Promise.resolve());
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await tracer().startActiveSpan('request', async (span) => {
      await inSpan('child', {}, () => Promise.resolve());
      span.end();
    });
    const [child, parent] = exporter.getFinishedSpans();
    expect(child.name).toBe('child');
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('records a failure on the span and passes it on', async () => {
    await tracer().startActiveSpan('request', async (span) => {
      await expect(inSpan('failing', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      span.end();
    });
    expect(exporter.getFinishedSpans()[0].status).toMatchObject({ code: 2, message: 'boom' });
  });

  it('links only to a well-formed traceparent', () => {
    const traceId = 'a'.repeat(32);
    expect(linkTo(`00-${traceId}-${'b'.repeat(16)}-01`)[0].context.traceId).toBe(traceId);
    expect(linkTo('not-a-traceparent')).toEqual([]);
    expect(linkTo(undefined)).toEqual([]);
  });
});
