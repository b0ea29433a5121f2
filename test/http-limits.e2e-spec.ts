import { connect, type Socket } from 'node:net';
import { samplePlan } from './support/sample-plan.js';
import { bearer, useTestApp } from './support/test-app.js';

/** A raw TCP client: what it was sent back, and when the server closed the connection. */
function rawClient(url: string): { socket: Socket; received: () => string; closed: Promise<number> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return { socket, received: () => received, closed };
}

const REQUEST_TIMEOUT_MS = 1_000;
/** The deadline, plus Node's check period and slack for a busy machine; 0 (no deadline) would be forever. */
const CLOSED_WITHIN_MS = REQUEST_TIMEOUT_MS + 4_000;

describe('HTTP input limits and deadlines', () => {
  const t = useTestApp({
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    HTTP_MAX_CONNECTIONS: '20',
  });

  it('deletes with `Content-Type: application/json` and no body, as many clients send it', async () => {
    const { body: plan } = await t().http.post('/api/plans').set(bearer()).send(samplePlan()).expect(201);
    await t().http.delete(`/api/plans/${plan.id}`).set(bearer()).set('content-type', 'application/json').expect(204);
    await t().http.get(`/api/plans/${plan.id}`).expect(404);
  });

  it('still refuses a body that is not JSON, and an empty body where one is expected', async () => {
    const { body: plan } = await t().http.post('/api/plans').set(bearer()).send(samplePlan()).expect(201);
    const broken = await t()
      .http.delete(`/api/plans/${plan.id}`)
      .set(bearer())
      .set('content-type', 'application/json')
      .send('{"oops"')
      .expect(400);
    expect(broken.body.message).toEqual(expect.any(String));
    await t().http.get(`/api/plans/${plan.id}`).expect(200);
    const empty = await t().http.post('/api/plans').set(bearer()).set('content-type', 'application/json').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.statusCode).toBe(400);
  });

  it.each([
    ['a cached-answer route read early', '/api/chat/plan'],
    ['an ordinary route', '/api/plans'],
  ])('closes a client that stalls mid-body on %s, in time', async (_name, path) => {
    const client = rawClient(t().url);
    client.socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"goal":`,
    );
    const closedAfter = await client.closed;
    expect(closedAfter).toBeLessThan(CLOSED_WITHIN_MS);
    expect(client.received()).not.toContain('200 OK');
  });

  it('answers 408 to a client that never finishes its headers', async () => {
    const client = rawClient(t().url);
    client.socket.write('GET /api/plans HTTP/1.1\r\nHost: localhost\r\n');
    const closedAfter = await client.closed;
    expect(closedAfter).toBeLessThan(CLOSED_WITHIN_MS);
    expect(client.received()).toContain('408');
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    const client = rawClient(t().url);
    client.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const closedAfter = await client.closed;
    expect(client.received()).toContain('200 OK');
    expect(closedAfter).toBeLessThan(CLOSED_WITHIN_MS);
  });

  it('says nosniff on API answers', async () => {
    const answer = await t().http.get('/api/plans').expect(200);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const error = await t().http.get('/api/plans/999999').expect(404);
    expect(error.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('HTTP connection cap', () => {
  const t = useTestApp({ HTTP_MAX_CONNECTIONS: '2' });

  it('refuses connections beyond HTTP_MAX_CONNECTIONS', async () => {
    const held = [rawClient(t().url), rawClient(t().url)];
    for (const client of held) client.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = rawClient(t().url);
    third.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await third.closed;
    expect(third.received()).toBe('');
    for (const client of held) {
      expect(client.received()).toContain('200 OK');
      client.socket.destroy();
    }
  });
});
