import { labelLanguageFor, stepLabel } from './step-labels.js';

describe('labelLanguageFor', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ru', 'ru'],
    ['ru-RU,ru;q=0.9,en;q=0.8', 'ru'],
    ['RU-ru', 'ru'],
    ['en-US,en;q=0.9,ru;q=0.8', 'en'],
    ['en;q=0.5,ru;q=0.9', 'ru'],
    ['ru;q=0,en', 'en'],
    ['rus', 'en'],
    ['*', 'en'],
  ])('%p prefers %s', (header, language) => {
    expect(labelLanguageFor(header)).toBe(language);
  });

  it('labels the steps in both languages', () => {
    expect(stepLabel('plan_from_cache', 'en')).toBe('Plan from cache');
    expect(stepLabel('plan_from_cache', 'ru')).toBe('План из кэша');
    expect(stepLabel('generating_plan', 'ru')).toBe('Генерирую план');
  });
});
