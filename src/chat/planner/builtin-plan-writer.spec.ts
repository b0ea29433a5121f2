import { chunksOf, writePlan, writeReply } from './builtin-plan-writer.js';
import { linesOf } from '../streams/plan-replay.js';

describe('the builtin plan writer', () => {
  it('writes the same plan for the same input', () => {
    const request = { goal: 'Launch an online store', projectContext: 'Two people, one month' };
    expect(writePlan(request)).toBe(writePlan({ ...request }));
  });

  it('writes seven numbered steps from clarifying to following up', () => {
    const plan = writePlan({ goal: 'Write a novel' });
    const steps = plan.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(steps.map((line) => line.split('.')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(steps[0]).toContain('Clarify the goal');
    expect(steps[0]).toContain('"Write a novel"');
    expect(steps[6]).toContain('Follow up');
  });

  it('phrases the steps for the kind of goal', () => {
    expect(writePlan({ goal: 'Build a REST API' })).toContain('thin vertical slices');
    expect(writePlan({ goal: 'Plan a wedding' })).toContain('Rehearse');
    expect(writePlan({ goal: 'Learn Spanish' })).toContain('Test yourself');
    expect(writePlan({ goal: 'Launch a startup' })).toContain('Test with real customers');
  });

  it('uses the project context', () => {
    expect(writePlan({ goal: 'Paint the house', projectContext: ' budget 500 EUR ' })).toContain(
      '2. Take the project context into account: budget 500 EUR',
    );
  });

  it('writes in Russian for a Russian goal', () => {
    const plan = writePlan({ goal: 'Изучить испанский язык' });
    expect(plan).toMatch(/^План: Изучить испанский язык\n\n1\. Уточнить цель/);
    expect(plan).toContain('Проверять себя');
    expect(writeReply({ goal: 'Изучить испанский' })).toMatch(/^Вот как я бы подошёл/);
  });

  it('streams in chunks and replays in lines that join back to the text', () => {
    const plan = writePlan({ goal: 'Ship the release', projectContext: 'line one\nline two' });
    expect(chunksOf(plan).join('')).toBe(plan);
    expect(chunksOf(plan).length).toBeGreaterThan(20);
    expect(linesOf(plan).join('')).toBe(plan);
    expect(linesOf('no newline at end').join('')).toBe('no newline at end');
  });
});
