import { randomBytes } from 'node:crypto';
import { eventually } from './support/eventually.js';
import { useOpenAiApp, useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { askPlan } from './support/plan-requests.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ERROR = 2;

/** The W3C traceparent of a request made within the caller's trace `traceId`, under its span `parent`. */
const traceparentOf = (traceId = hex(16), parent = hex(8)) => ({ traceparent: `00-${traceId}-${parent}-01` });

describe('Traces over OTLP/HTTP (JSON)', () => {
  const receiver = new OtlpReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  const { app, openai } = useOpenAiApp(() => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'plan-cache-under-test',
    OTEL_BSP_SCHEDULE_DELAY: '20',
  }));

  const spansOf = async (traceId: string, names: string[]): Promise<ReceivedSpan[]> => {
    await eventually(
      () => names.every((name) => receiver.inTrace(traceId).some((span) => span.name === name)),
      5000,
      `spans ${names.join(', ')}`,
    );
    return receiver.inTrace(traceId);
  };
  const named = (spans: ReceivedSpan[], name: string) => spans.find((span) => span.name === name)!;

  it('traces a miss: the request under the caller’s trace, the cache lookup, and the planner call by the GenAI conventions', async () => {
    const [traceId, parent] = [hex(16), hex(8)];
    await askPlan(app(), 'Trace the launch of the kiosk app', traceparentOf(traceId, parent)).expect(200);
    const spans = await spansOf(traceId, ['POST /api/chat/plan', 'plan_cache task_plan', 'chat test-model']);
    const server = named(spans, 'POST /api/chat/plan');
    expect(server).toMatchObject({
      parentSpanId: parent,
      service: 'plan-cache-under-test',
      attributes: { 'http.route': '/api/chat/plan', 'http.request.method': 'POST', 'http.response.status_code': 200 },
    });
    const cache = named(spans, 'plan_cache task_plan');
    expect(cache.parentSpanId).toBe(server.spanId);
    expect(cache.attributes).toMatchObject({ 'plan_cache.result': 'miss', 'plan_cache.source': 'generator' });
    expect(named(spans, 'chat test-model').attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'test-model',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 80,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    // traceparent out: the planner was asked within the same trace.
    expect(openai.traceparents.some((header) => header.includes(traceId))).toBe(true);
  });

  it('traces a hit answered from memory with a cache span saying so', async () => {
    await askPlan(app(), 'Trace the billing report', traceparentOf()).expect(200);
    const traceId = hex(16);
    const hit = await askPlan(app(), 'Trace the billing report', traceparentOf(traceId)).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const spans = await spansOf(traceId, ['POST /api/chat/plan', 'plan_cache cached-plan-answers']);
    expect(named(spans, 'plan_cache cached-plan-answers').attributes).toMatchObject({ 'plan_cache.result': 'hit' });
    expect(spans.some((span) => span.name.startsWith('chat '))).toBe(false);
  });

  it('marks the request that joined another’s generation as coalesced', async () => {
    const traces = [hex(16), hex(16)];
    await Promise.all(
      traces.map((traceId) => askPlan(app(), 'Trace a coalesced plan', traceparentOf(traceId)).expect(200)),
    );
    const lookups = await Promise.all(
      traces.map(async (traceId) => named(await spansOf(traceId, ['plan_cache task_plan']), 'plan_cache task_plan')),
    );
    expect(lookups.filter((span) => span.attributes['plan_cache.coalesced'] === true)).toHaveLength(1);
    expect(openai.calls).toBe(1);
  });

  it('records a planner failure on the planner span and the request', async () => {
    openai.failWith = { status: 500, message: 'boom' };
    const traceId = hex(16);
    await askPlan(app(), 'Trace a failing plan', traceparentOf(traceId)).expect(503);
    const spans = await spansOf(traceId, ['POST /api/chat/plan', 'plan_cache task_plan', 'chat test-model']);
    expect(named(spans, 'chat test-model').status?.code).toBe(ERROR);
    expect(named(spans, 'plan_cache task_plan').status?.code).toBe(ERROR);
    expect(named(spans, 'POST /api/chat/plan').attributes['http.response.status_code']).toBe(503);
  });
});

describe('Traces across instances sharing Redis', () => {
  const receiver = new OtlpReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  const { apps, openai } = useOpenAiInstancesOnRedis({
    redis: 'own',
    variables: () => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '20',
    }),
  });
  beforeEach(() => (openai.latencyMs = 500));

  it("links a waiter's trace to the trace of the instance that generates for it", async () => {
    const [first, second] = [hex(16), hex(16)];
    const goal = 'Trace one generation for two instances';
    const generating = askPlan(apps()[0], goal, traceparentOf(first))
      .expect(200)
      .then(() => undefined); // supertest sends on then
    await eventually(() => openai.calls === 1, 5000, 'the first instance generates');
    const waiting = askPlan(apps()[1], goal, traceparentOf(second));
    await Promise.all([generating, waiting.expect(200)]);
    expect(openai.calls).toBe(1);
    await eventually(
      () => receiver.inTrace(second).some((span) => span.name === 'plan_cache await_flight'),
      5000,
      'the waiter span',
    );
    const waiter = receiver.inTrace(second).find((span) => span.name === 'plan_cache await_flight')!;
    expect(waiter.links.map((link) => link.traceId)).toEqual([first]);
  });
});
