import { plainPlanRequest } from './plain-plan-request.js';

describe('plainPlanRequest', () => {
  it('takes a goal and an optional project context as they are', () => {
    expect(plainPlanRequest({ goal: ' Ship it ' })).toEqual({ goal: ' Ship it ', projectContext: undefined });
    expect(plainPlanRequest({ goal: 'Ship it', project_context: 'v2' })).toEqual({
      goal: 'Ship it',
      projectContext: 'v2',
    });
  });

  it.each([
    ['not an object', 'Ship it'],
    ['null', null],
    ['an array', [{ goal: 'Ship it' }]],
    ['an unknown field', { goal: 'Ship it', model: 'x' }],
    ['a goal that is not a string', { goal: 42 }],
    ['a blank goal', { goal: ' \n ' }],
    ['a goal of punctuation alone', { goal: '?!...' }],
    ['a goal over 4000 units', { goal: 'x'.repeat(4001) }],
    ['a context that is not a string', { goal: 'Ship it', project_context: 1 }],
    ['a context over 20000 units', { goal: 'Ship it', project_context: 'x'.repeat(20001) }],
  ])('leaves %s to validation', (_case, body) => {
    expect(plainPlanRequest(body)).toBeUndefined();
  });
});
