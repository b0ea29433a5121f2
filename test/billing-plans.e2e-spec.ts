import { SAMPLE_PLANS } from '../src/database/seed.js';
import { samplePlan } from './support/sample-plan.js';
import { bearer, useTestApp } from './support/test-app.js';

interface PlanBody {
  id: number;
  name: string;
  connection_type: string;
  price: string;
  user_id: number;
}

describe('Billing plans over HTTP (embedded PGlite)', () => {
  const t = useTestApp({ PLANS_CACHE_WARM: 'false' });

  describe('reading', () => {
    it('lists the seeded plans, a MISS first and a HIT after', async () => {
      const first = await t().http.get('/api/plans').expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect((first.body as PlanBody[]).map((plan) => plan.name)).toEqual(SAMPLE_PLANS.map((plan) => plan.name));
      const second = await t().http.get('/api/plans').expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.text).toBe(first.text);
    });

    it('answers plans in the documented shape', async () => {
      const { body } = await t().http.get('/api/plans/1').expect(200);
      expect(body).toEqual({
        id: 1,
        name: 'Hotspot Day Pass',
        connection_type: 'hotspot',
        price: '1.99',
        currency: 'USD',
        duration_days: 1,
        data_limit_mb: 2048,
        download_kbps: 10000,
        upload_kbps: 2000,
        user_id: 1,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('filters by user, by connection type and by both', async () => {
      const byUser = await t().http.get('/api/plans?user_id=2').expect(200);
      expect((byUser.body as PlanBody[]).map((plan) => plan.id)).toEqual([4, 5]);
      const byType = await t().http.get('/api/plans?connection_type=hotspot').expect(200);
      expect((byType.body as PlanBody[]).map((plan) => plan.id)).toEqual([1, 2, 3]);
      const both = await t().http.get('/api/plans?user_id=2&connection_type=static').expect(200);
      expect((both.body as PlanBody[]).map((plan) => plan.id)).toEqual([5]);
      const none = await t().http.get('/api/plans?user_id=999').expect(200);
      expect(none.body).toEqual([]);
    });

    it('answers 404 for an unknown id', async () => {
      const { body } = await t().http.get('/api/plans/9999').expect(404);
      expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Billing plan 9999 does not exist' });
    });

    it.each([
      ['/api/plans/abc', 'id must be a positive integer'],
      ['/api/plans/0', 'id must be a positive integer'],
      ['/api/plans?connection_type=fiber', 'connection_type must be one of'],
      ['/api/plans?user_id=abc', 'user_id must be a positive integer'],
      ['/api/plans?user_id=-3', 'user_id must be a positive integer'],
      ['/api/plans?page=2', 'property page should not exist'],
    ])('refuses GET %s with 400', async (path, message) => {
      const { body } = await t().http.get(path).expect(400);
      expect(body.statusCode).toBe(400);
      expect(body.error).toBe('Bad Request');
      expect(body.message).toContain(message);
    });
  });

  describe('writing', () => {
    it('creates a plan (201) and normalizes the price to two decimals', async () => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .send(samplePlan({ price: '10' }))
        .expect(201);
      expect(body).toMatchObject({ ...samplePlan({ price: '10.00' }), id: expect.any(Number) });
      await t().http.get(`/api/plans/${body.id}`).expect(200);
    });

    it('creates through the older path POST /api/plans/create too, with USD by default', async () => {
      const { currency: _omitted, ...withoutCurrency } = samplePlan({ name: 'Legacy path plan' });
      const { body } = await t().http.post('/api/plans/create').set(bearer()).send(withoutCurrency).expect(201);
      expect(body).toMatchObject({ name: 'Legacy path plan', currency: 'USD' });
    });

    it('accepts a JSON number as the price and keeps it as a decimal string', async () => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .send(samplePlan({ price: 12.5 }))
        .expect(201);
      expect(body.price).toBe('12.50');
    });

    it('updates some fields (200) and 404s an unknown id', async () => {
      const { body: created } = await t().http.post('/api/plans').set(bearer()).send(samplePlan()).expect(201);
      const { body } = await t()
        .http.patch(`/api/plans/${created.id}`)
        .set(bearer())
        .send({ price: '4.25', data_limit_mb: null })
        .expect(200);
      expect(body).toMatchObject({ id: created.id, price: '4.25', data_limit_mb: null, name: created.name });
      expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));
      await t().http.patch('/api/plans/9999').set(bearer()).send({ price: '1.00' }).expect(404);
    });

    it('deletes a plan (204), then it is gone (404)', async () => {
      const { body: created } = await t().http.post('/api/plans').set(bearer()).send(samplePlan()).expect(201);
      const deleted = await t().http.delete(`/api/plans/${created.id}`).set(bearer()).expect(204);
      expect(deleted.text).toBe('');
      await t().http.get(`/api/plans/${created.id}`).expect(404);
      await t().http.delete(`/api/plans/${created.id}`).set(bearer()).expect(404);
    });
  });

  describe('admin token', () => {
    it('answers 401 with a bearer challenge when no token is sent', async () => {
      const response = await t().http.post('/api/plans').send(samplePlan()).expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"',
      });
    });

    it.each([
      ['a wrong token', { authorization: 'Bearer not-the-token' }],
      ['a token with a different length', { authorization: 'Bearer x' }],
    ])('answers 403 to %s', async (_case, headers) => {
      const { body } = await t().http.delete('/api/plans/1').set(headers).expect(403);
      expect(body.message).toBe('The admin token is not valid');
    });

    it('answers 401 to a non-bearer scheme', async () => {
      await t().http.patch('/api/plans/1').set({ authorization: 'Basic dXNlcjpwYXNz' }).send({ name: 'x' }).expect(401);
    });

    it('guards every mutation, and the plan survives the refused ones', async () => {
      await t().http.post('/api/plans/create').send(samplePlan()).expect(401);
      await t().http.patch('/api/plans/1').send({ name: 'Hijacked' }).expect(401);
      await t().http.delete('/api/plans/1').expect(401);
      const { body } = await t().http.get('/api/plans/1').expect(200);
      expect(body.name).toBe('Hotspot Day Pass');
    });
  });

  describe('bad input', () => {
    const tooLong = 'x'.repeat(101);

    it.each([
      ['an unknown connection_type', samplePlan({ connection_type: 'fiber' }), 'connection_type must be one of'],
      ['a price that is not a number', samplePlan({ price: 'abc' }), 'price must be a non-negative decimal'],
      ['a negative price', samplePlan({ price: '-1.00' }), 'price must be a non-negative decimal'],
      ['a price with three decimals', samplePlan({ price: '1.999' }), 'price must be a non-negative decimal'],
      ['an empty name', samplePlan({ name: '   ' }), 'name must not be empty'],
      ['an over-long name', samplePlan({ name: tooLong }), 'name must be shorter than or equal to 100 characters'],
      ['a negative duration', samplePlan({ duration_days: -5 }), 'duration_days must not be less than 1'],
      ['a negative speed', samplePlan({ upload_kbps: -1 }), 'upload_kbps must not be less than 1'],
      ['a string where a number belongs', samplePlan({ duration_days: '30' }), 'duration_days must be an integer'],
      ['a fraction where an integer belongs', samplePlan({ user_id: 1.5 }), 'user_id must be an integer'],
      ['a boolean name', samplePlan({ name: true }), 'name must be a string'],
      ['a lower-case currency', samplePlan({ currency: 'usd' }), 'currency must be a three-letter ISO 4217 code'],
      ['an unknown field', samplePlan({ discount: 5 }), 'property discount should not exist'],
      ['a missing field', { name: 'Only a name' }, 'connection_type must be one of'],
      ['an array body', [samplePlan()], 'The request body must be a JSON object'],
      ['a string body', 'just text', 'The request body must be a JSON object'],
      ['a null body', null, 'The request body must be a JSON object'],
    ])('refuses %s with 400 naming the problem', async (_case, payload, message) => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .set('content-type', 'application/json')
        .send(JSON.stringify(payload))
        .expect(400);
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining(message) });
    });

    it('names each wrong field with its message, for a form to show beside the field', async () => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .send(samplePlan({ price: 'abc', currency: 'usd', discount: 5 }))
        .expect(400);
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('price must be a non-negative decimal'),
        fields: {
          price: expect.stringMatching(/^price must be a non-negative decimal/),
          currency: 'currency must be a three-letter ISO 4217 code such as "USD"',
          discount: 'property discount should not exist',
        },
      });
      expect(body.message.split('; ')).toEqual(Object.values(body.fields));
    });

    it('sends no fields when the body as a whole is wrong', async () => {
      const { body } = await t().http.post('/api/plans').set(bearer()).send([samplePlan()]).expect(400);
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request body must be a JSON object',
      });
    });

    it('refuses malformed JSON with 400', async () => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .set('content-type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(body.message).toMatch(/JSON/);
    });

    it('refuses an empty JSON body with 400', async () => {
      await t().http.post('/api/plans').set(bearer()).set('content-type', 'application/json').expect(400);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .set('content-type', 'text/plain')
        .send('name=plan')
        .expect(415);
      expect(body.error).toBe('Unsupported Media Type');
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const { body } = await t()
        .http.post('/api/plans')
        .set(bearer())
        .set('content-type', 'application/json')
        .send(JSON.stringify(samplePlan({ name: 'x'.repeat(1024 * 1024) })))
        .expect(413);
      expect(body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    });

    it.each([
      ['an empty change', {}, 'Send at least one field to change'],
      ['a null name', { name: null }, 'name must be a string'],
      ['a null price', { price: null }, 'price must be a decimal string'],
      ['a wrong type', { connection_type: 'fiber' }, 'connection_type must be one of'],
    ])('refuses a PATCH with %s', async (_case, payload, message) => {
      const { body } = await t().http.patch('/api/plans/2').set(bearer()).send(payload).expect(400);
      expect(body.message).toContain(message);
    });

    it('loses nothing: the refused requests changed no plan', async () => {
      const { body } = await t().http.get('/api/plans/2').expect(200);
      expect(body).toMatchObject({ name: 'Hotspot Week', price: '7.99', connection_type: 'hotspot' });
    });
  });
});
