import { DATABASE_CONNECTION } from '../src/database/database.module.js';
import type { DatabaseConnection } from '../src/database/database.types.js';
import { startTestApp, useEmbeddedTestApp } from './support/test-app.js';

describe('Probes, API document and an unset admin token', () => {
  const t = useEmbeddedTestApp({ ADMIN_TOKEN: '', PLANS_CACHE_WARM: 'false' });

  it('reports liveness', async () => {
    const { body } = await t().http.get('/health/live').expect(200);
    expect(body.status).toBe('ok');
  });

  it('reports readiness with the database check', async () => {
    const { body } = await t().http.get('/health/ready').expect(200);
    expect(body.status).toBe('ok');
    expect(body.details.database).toMatchObject({ status: 'up', kind: 'pglite' });
  });

  it('answers admin routes with 403 saying to set ADMIN_TOKEN', async () => {
    for (const call of [
      t().http.get('/api/plan-cache/stats'),
      t().http.post('/api/plan-cache/clear'),
      t().http.delete('/api/plans/1').set({ authorization: 'Bearer anything' }),
    ]) {
      const { body } = await call.expect(403);
      expect(body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'The admin API is disabled: set ADMIN_TOKEN to enable it',
      });
    }
  });

  it('serves the OpenAPI document with every route and the bearer scheme', async () => {
    const { body } = await t().http.get('/docs-json').expect(200);
    const routes = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /api/plans',
        'POST /api/plans',
        'POST /api/plans/create',
        'GET /api/plans/{id}',
        'PATCH /api/plans/{id}',
        'DELETE /api/plans/{id}',
        'GET /api/plan-cache/stats',
        'GET /api/plan-cache/experiments',
        'POST /api/plan-cache/clear',
        'POST /api/chat/plan',
        'POST /api/chat/plan/feedback',
        'GET /api/chat/stream',
        'POST /api/chat/stream',
        'GET /metrics',
        'GET /health/live',
        'GET /health/ready',
      ].sort(),
    );
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const paths = body.paths as Record<string, Record<string, any>>;
    expect(paths['/api/plan-cache/stats'].get.security).toEqual([{ bearer: [] }]);
    expect(paths['/api/plan-cache/experiments'].get.security).toEqual([{ bearer: [] }]);
    expect(paths['/api/plans'].post.security).toEqual([{ bearer: [] }]);
    expect(paths['/api/plans'].get.security).toEqual([]);
    expect(paths['/api/plans'].post.responses['401'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorResponseDto',
    );
    expect(paths['/api/chat/plan'].post.responses['503']).toBeDefined();
    expect(paths['/api/chat/plan'].post.responses['504']).toBeDefined();
    expect(paths['/api/chat/stream'].get.responses['200'].description).toContain('`chunk` {text}');
    expect(body.components.schemas.PlanAnswerDto.properties.generation_ms.nullable).toBe(true);
    expect(body.components.schemas.CreateBillingPlanDto.required).toEqual(
      expect.arrayContaining(['name', 'connection_type', 'price', 'duration_days', 'user_id']),
    );
  });

  it('serves the API docs page', async () => {
    const response = await t().http.get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger');
  });

  it('returns the request id it was given, or one it made', async () => {
    const given = await t().http.get('/health/live').set('X-Request-Id', 'trace-42').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42');
    const made = await t().http.get('/health/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await t().http.get('/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with the error shape', async () => {
    const { body } = await t().http.get('/api/nothing-here').expect(404);
    expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });

  it('reports not ready, with the failing check, when the database stops answering', async () => {
    const app = await startTestApp({ PLANS_CACHE_WARM: 'false' });
    try {
      await app.app.get<DatabaseConnection>(DATABASE_CONNECTION).close();
      const { body } = await app.http.get('/health/ready').expect(503);
      expect(body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Not ready: database down',
        status: 'error',
        details: { database: { status: 'down' } },
      });
      await app.http.get('/health/live').expect(200);
    } finally {
      await app.close();
    }
  });
});
