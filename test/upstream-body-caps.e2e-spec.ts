import { eventually } from './support/eventually.js';
import { FloodingUpstream, type UpstreamAnswer } from './support/flooding-upstream.js';
import { freePort } from './support/free-port.js';
import { AUDIENCE, ISSUER } from './support/jwks-server.js';
import { residentGrowthDuring } from './support/process-memory.js';
import { buildService, productionNodeFlags, ServiceProcess } from './support/service-process.js';
import { readSse } from './support/sse-client.js';
import { temporaryDataDir } from './support/test-app.js';

/** What a runaway or hostile upstream sends: far more than any cap, and than the memory promise. */
const FLOOD_BYTES = 300 * 1024 * 1024;
/** The promise: a flood raises the service's resident memory by less than this. */
const MAX_GROWTH_BYTES = 50 * 1024 * 1024;
/** What may leave the upstream before the service hangs up: its cap and the sockets' buffers, not the flood. */
const MAX_SENT_BYTES = 32 * 1024 * 1024;

const COMPLETIONS = '/v1/chat/completions';
const EMBEDDINGS = '/v1/embeddings';
const JWKS = '/jwks.json';
const JSON_TYPE = 'application/json';

const plainPlan: UpstreamAnswer = {
  status: 200,
  contentType: JSON_TYPE,
  head: JSON.stringify({
    choices: [{ index: 0, message: { role: 'assistant', content: '1. Warm up\n2. Measure' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5 },
  }),
};
const streamedPlan: UpstreamAnswer = {
  status: 200,
  contentType: 'text/event-stream',
  head: `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '1. Warm up' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
};
const oneEmbedding: UpstreamAnswer = {
  status: 200,
  contentType: JSON_TYPE,
  head: JSON.stringify({ data: [{ index: 0, embedding: [0.6, 0.8] }] }),
};

describe('Upstream answers are read under a byte cap (the service as its own process)', () => {
  const data = temporaryDataDir();
  const upstream = new FloodingUpstream();
  let service: ServiceProcess;
  let base: string;

  const askPlan = (goal: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/chat/plan`, {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE, ...headers },
      body: JSON.stringify({ goal }),
    });

  /** Runs `work` against the service, expecting its memory to stay within the promise. */
  async function withinMemory<T>(work: () => Promise<T>): Promise<T> {
    const { result, growth } = await residentGrowthDuring(service.pid!, work);
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
    return result;
  }

  /** Every request for `path` was cut by the service, long before the flood was sent. */
  async function expectCutShort(path: string): Promise<void> {
    await eventually(() => upstream.recordsOf(path).length > 0, 10_000, `a finished request for ${path}`);
    for (const record of upstream.recordsOf(path)) {
      expect(record).toMatchObject({ closedEarly: true });
      expect(record.bytesWritten).toBeLessThan(MAX_SENT_BYTES);
    }
  }

  beforeAll(async () => {
    buildService();
    await upstream.start();
    upstream.answer(COMPLETIONS, plainPlan);
    upstream.answer(EMBEDDINGS, oneEmbedding);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = new ServiceProcess(
      {
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: data.dir,
        ADMIN_TOKEN: 'a-production-admin-token-of-32-chars!',
        PLANNER_PROVIDER: 'openai',
        PLANNER_BASE_URL: `${upstream.origin}/v1`,
        PLANNER_API_KEY: 'upstream-key',
        PLANNER_MODEL: 'test-model',
        PLAN_CACHE_SEMANTIC_ENABLED: 'true',
        EMBEDDINGS_PROVIDER: 'openai',
        // Only the byte cap may stop reading an embeddings flood, not the deadline.
        EMBEDDINGS_TIMEOUT_MS: '60000',
        AUTH_JWKS_URL: `${upstream.origin}${JWKS}`,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '1000',
      },
      // Memory is measured as production runs: Node 24 otherwise sizes the young generation by the machine.
      { nodeArgs: productionNodeFlags() },
    );
    await service.listening(60_000);
    // Every path measured below runs once before, so that loading its code is not counted.
    expect((await askPlan('warm up the whole answers')).status).toBe(200);
    upstream.answer(COMPLETIONS, streamedPlan);
    expect((await readSse(`${base}/api/chat/stream?goal=warm+up+the+streams`)).status).toBe(200);
    upstream.records.length = 0;
  }, 120_000);

  afterEach(() => {
    upstream.answer(COMPLETIONS, plainPlan);
    upstream.answer(EMBEDDINGS, oneEmbedding);
    upstream.records.length = 0;
  });

  afterAll(async () => {
    service?.kill();
    await upstream.stop();
    data.remove();
  });

  it('answers 502 to a planner answering 300 MiB of JSON, having read only about a plan’s worth', async () => {
    upstream.answer(COMPLETIONS, {
      status: 200,
      contentType: JSON_TYPE,
      head: '{"choices":[{"index":0,"message":{"role":"assistant","content":"',
      filler: { unit: 'step ', bytes: FLOOD_BYTES },
      tail: '"},"finish_reason":"stop"}]}',
    });
    const response = await withinMemory(() => askPlan('a plan without end'));
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      statusCode: 502,
      message: 'The planner answered more than a plan can be; it was not read to the end',
    });
    await expectCutShort(COMPLETIONS);
  });

  it('ends a stream with an error when the planner streams one 300 MiB line that never ends', async () => {
    upstream.answer(COMPLETIONS, {
      status: 200,
      contentType: 'text/event-stream',
      head: 'data: {"choices":[{"index":0,"delta":{"content":"',
      filler: { unit: 'x', bytes: FLOOD_BYTES },
    });
    const stream = await withinMemory(() => readSse(`${base}/api/chat/stream?goal=one+line+without+end`));
    expect(stream.status).toBe(200);
    expect(stream.events.at(-1)).toMatchObject({ event: 'error', data: { code: 'planner_answer_too_large' } });
    await expectCutShort(COMPLETIONS);
  });

  it('reads a few KB of a 300 MiB error answer for the log, and answers 503', async () => {
    upstream.answer(COMPLETIONS, {
      status: 500,
      contentType: JSON_TYPE,
      head: '{"error":{"message":"overloaded ',
      filler: { unit: 'again ', bytes: FLOOD_BYTES },
      tail: '"}}',
    });
    const response = await withinMemory(() => askPlan('an error without end'));
    expect(response.status).toBe(503);
    await expectCutShort(COMPLETIONS);
  });

  it('matches exactly when the embeddings server answers 300 MiB, and still answers the plan', async () => {
    upstream.answer(EMBEDDINGS, {
      status: 200,
      contentType: JSON_TYPE,
      head: '{"data":[{"index":0,"embedding":[',
      filler: { unit: '0.0123456789, ', bytes: FLOOD_BYTES },
      tail: '0]}]}',
    });
    const response = await withinMemory(() => askPlan('embeddings without end'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ plan: '1. Warm up\n2. Measure', source: 'generator' });
    await expectCutShort(EMBEDDINGS);
  });

  it('answers 503 to a token whose key set is 300 MiB, without reading the set', async () => {
    upstream.answer(JWKS, {
      status: 200,
      contentType: JSON_TYPE,
      head: '{"keys":[],"padding":"',
      filler: { unit: 'k', bytes: FLOOD_BYTES },
      tail: '"}',
    });
    const token = forgedToken({ sub: 'someone', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 });
    const response = await withinMemory(() => askPlan('a key set without end', { authorization: `Bearer ${token}` }));
    expect(response.status).toBe(503);
    await expectCutShort(JWKS);
  });
});

/** A well-formed RS256 token with a made-up signature: enough to make the service fetch the key set. */
function forgedToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', kid: 'flood', typ: 'JWT' })}.${encode(claims)}.${'A'.repeat(342)}`;
}
