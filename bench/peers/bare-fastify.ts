import { readFileSync } from 'node:fs';
import fastify from 'fastify';

/**
 * The framework floor: bare Fastify (the service's HTTP layer, without NestJS) answering the
 * same bytes with the same headers: the list for `GET /api/plans` (BODY_FILE) and, after parsing
 * the JSON body as the service does, a plan answer for `POST /api/chat/plan` (PLAN_FILE).
 */
const body = readFileSync(process.env.BODY_FILE ?? '');
const plan = process.env.PLAN_FILE ? readFileSync(process.env.PLAN_FILE) : body;
const port = Number(process.env.PORT);
const app = fastify();
app.get('/api/plans', (_request, reply) => {
  void reply.header('content-type', 'application/json; charset=utf-8').header('x-cache', 'HIT').send(body);
});
app.post('/api/chat/plan', (request, reply) => {
  if (typeof (request.body as { goal?: unknown } | null)?.goal !== 'string') return reply.code(400).send();
  void reply.header('content-type', 'application/json; charset=utf-8').header('x-cache', 'HIT').send(plan);
});
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`bare Fastify listening on ${port}\n`);
