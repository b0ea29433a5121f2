import { SerializedJson } from '../../plan-cache/http/serialized-json.js';
import { BillingPlanLists } from './billing-plan-lists.js';
import { BillingListInvalidationListener } from './billing-list-invalidation.listener.js';

const ALL_KEYS = [
  'plans',
  'plans:user_1',
  'plans:user_2',
  'plans:type_hotspot',
  'plans:type_pppoe',
  'plans:type_static',
  'plans:user_1:type_hotspot',
  'plans:user_2:type_pppoe',
  'plans:user_1:type_static',
];

describe('BillingListInvalidationListener', () => {
  let lists: BillingPlanLists;
  let listener: BillingListInvalidationListener;

  beforeEach(async () => {
    lists = new BillingPlanLists('plans', { enabled: true, ttlMs: 300_000, maxEntries: 100 });
    listener = new BillingListInvalidationListener(lists);
    for (const key of ALL_KEYS) await lists.getOrLoad(key, async () => SerializedJson.of(key));
  });

  const remaining = () => ALL_KEYS.filter((key) => lists.get(key) !== undefined);

  it('drops the four lists a created plan appears in', async () => {
    await listener.onCreated({ after: { user_id: 1, connection_type: 'hotspot' } });
    expect(remaining()).toEqual([
      'plans:user_2',
      'plans:type_pppoe',
      'plans:type_static',
      'plans:user_2:type_pppoe',
      'plans:user_1:type_static',
    ]);
  });

  it('drops the lists of the old and the new values of an update', async () => {
    await listener.onUpdated({
      before: { user_id: 1, connection_type: 'hotspot' },
      after: { user_id: 2, connection_type: 'pppoe' },
    });
    expect(remaining()).toEqual(['plans:type_static', 'plans:user_1:type_static']);
  });

  it('drops the lists a deleted plan was in', async () => {
    await listener.onDeleted({ before: { user_id: 1, connection_type: 'static' } });
    expect(remaining()).toEqual([
      'plans:user_2',
      'plans:type_hotspot',
      'plans:type_pppoe',
      'plans:user_1:type_hotspot',
      'plans:user_2:type_pppoe',
    ]);
  });
});
