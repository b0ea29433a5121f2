import { BillingListKeys } from './billing-list-keys.js';

describe('BillingListKeys', () => {
  it.each([
    [{}, 'plans'],
    [{ user_id: '7' }, 'plans:user_7'],
    [{ connection_type: 'pppoe' }, 'plans:type_pppoe'],
    [{ user_id: '7', connection_type: 'pppoe' }, 'plans:user_7:type_pppoe'],
    [{ connection_type: 'pppoe', user_id: '7' }, 'plans:user_7:type_pppoe'],
    [{ user_id: '007' }, 'plans:user_7'],
    [{ user_id: '0000000007', connection_type: 'pppoe' }, 'plans:user_7:type_pppoe'],
  ])('keys the query %j as %s', (query, key) => {
    expect(BillingListKeys.forQuery(query)).toBe(key);
  });

  it.each([
    [{ user_id: '0' }],
    [{ user_id: '-1' }],
    [{ user_id: '2147483648' }],
    [{ user_id: ['1', '2'] }],
    [{ connection_type: 'PPPoE' }],
    [{ page: '2' }],
    [{ user_id: '12345678901' }],
  ])('leaves the query %j, which the list route refuses, unkeyed', (query) => {
    expect(BillingListKeys.forQuery(query)).toBeUndefined();
  });

  it('names the four lists a plan appears in', () => {
    expect(BillingListKeys.containing({ user_id: 3, connection_type: 'hotspot' })).toEqual([
      'plans',
      'plans:user_3',
      'plans:type_hotspot',
      'plans:user_3:type_hotspot',
    ]);
  });

  it('touches the lists of both the old and the new values on an update', () => {
    const keys = BillingListKeys.touchedBy(
      { user_id: 3, connection_type: 'hotspot' },
      { user_id: 4, connection_type: 'pppoe' },
    );
    expect(keys.sort()).toEqual(
      [
        'plans',
        'plans:user_3',
        'plans:type_hotspot',
        'plans:user_3:type_hotspot',
        'plans:user_4',
        'plans:type_pppoe',
        'plans:user_4:type_pppoe',
      ].sort(),
    );
  });

  it('touches each list once when the update keeps the scope', () => {
    const scope = { user_id: 3, connection_type: 'static' };
    expect(BillingListKeys.touchedBy(scope, scope)).toHaveLength(4);
  });

  it('touches the lists of one side for a create or a delete', () => {
    expect(BillingListKeys.touchedBy(undefined, { user_id: 1, connection_type: 'dhcp' })).toHaveLength(4);
    expect(BillingListKeys.touchedBy({ user_id: 1, connection_type: 'dhcp' }, undefined)).toHaveLength(4);
  });
});
