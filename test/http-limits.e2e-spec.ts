import { connect, type Socket } from 'node:net';
import { eventually } from './support/eventually.js';
import { samplePlan } from './support/sample-plan.js';
import { bearer, useTestApp } from './support/test-app.js';

/**
 * A raw TCP client: what it was sent back, and the server closing the connection (what it had
 * received by then). A server without the deadline under test never closes it: the test times out.
 */
function rawClient(url: string): { socket: Socket; received: () => string; closed: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, received: () => received, closed };
}

// How soon each deadline closes a connection is measured by bench/stress/slow-clients.ts.
const REQUEST_TIMEOUT_MS = 1_000;

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
  ])('closes a client that stalls mid-body on %s, without answering it', async (_name, path) => {
    const client = rawClient(t().url);
    client.socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"goal":`,
    );
    expect(await client.closed).not.toContain('200 OK');
  });

  it('answers 408 to a client that never finishes its headers, then closes the connection', async () => {
    const client = rawClient(t().url);
    client.socket.write('GET /api/plans HTTP/1.1\r\nHost: localhost\r\n');
    expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a kept-alive request, then closes the idle connection after the keep-alive timeout', async () => {
    const client = rawClient(t().url);
    client.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await client.closed).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
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
    await eventually(() => held.every((client) => client.received().includes('200 OK')), 5_000, 'both answered');
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
