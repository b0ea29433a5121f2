import { createHash } from 'node:crypto';
import { TaskPlanKey } from './task-plan-key.js';

describe('TaskPlanKey', () => {
  it.each([
    ['  Launch   the\tAPI \n', 'launch the api'],
    ['ОРГАНИЗОВАТЬ  Свадьбу', 'организовать свадьбу'],
    ['Ｆｕｌｌｗｉｄｔｈ goal', 'fullwidth goal'],
    ['ﬁle the report', 'file the report'],
    ['non\u00a0breaking\u2003spaces', 'non breaking spaces'],
  ])('normalizes %j to %j', (goal, normalized) => {
    expect(TaskPlanKey.normalizeGoal(goal)).toBe(normalized);
  });

  it('keys by the first 16 hex digits of sha256(normalized goal + ":" + context)', () => {
    const expected = createHash('sha256').update('launch the api:NestJS').digest('hex').slice(0, 16);
    expect(TaskPlanKey.identify(' Launch the API ', 'NestJS').key).toBe(`plan:${expected}`);
  });

  it('gives the same key to goals that normalize alike, and another to another context', () => {
    const a = TaskPlanKey.identify('Launch the API');
    expect(TaskPlanKey.identify('  launch  THE api').key).toBe(a.key);
    expect(TaskPlanKey.identify('Launch the API', '').key).toBe(a.key);
    expect(TaskPlanKey.identify('Launch the API', 'ctx').key).not.toBe(a.key);
  });

  it('carries the normalized goal and the hash of the whole context for the check on read', () => {
    const identity = TaskPlanKey.identify('Ship It', 'ctx');
    expect(identity.goal).toBe('ship it');
    expect(identity.contextHash).toBe(createHash('sha256').update('ctx').digest('hex'));
  });

  it('remembers a recent identity, and never lets one request take another split of the same text', () => {
    const first = TaskPlanKey.identify('Plan the launch', 'api');
    expect(TaskPlanKey.identify('Plan the launch', 'api')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const moved = TaskPlanKey.identify('Plan the launcha', 'pi');
    expect(moved.key).not.toBe(first.key);
    expect(moved.goal).toBe('plan the launcha');
    const tag = 'a'.repeat(32);
    const tenant = TaskPlanKey.identify('Plan the launch', 'api', { tenant: 'acme', tag });
    expect(tenant.key).toBe(`plan:${tag}:${first.key.slice('plan:'.length)}`);
    expect(TaskPlanKey.identify('acmePlan the launch', 'api', { tenant: '', tag }).key).not.toBe(tenant.key);
  });

  it('identifies a long request without remembering it, alike', () => {
    const goal = 'g'.repeat(3000);
    expect(TaskPlanKey.identify(goal, 'ctx')).not.toBe(TaskPlanKey.identify(goal, 'ctx'));
    expect(TaskPlanKey.identify(goal, 'ctx')).toEqual(TaskPlanKey.identify(goal, 'ctx'));
  });
});
