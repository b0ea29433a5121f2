import { preferredLanguage } from './language.js';

describe('preferredLanguage', () => {
  it.each([
    [['ru-RU', 'ru', 'en-US'], 'ru'],
    [['RU'], 'ru'],
    [['en-GB', 'ru'], 'en'],
    [['de-DE', 'ru-RU'], 'ru'],
    [['de-DE', 'fr'], 'en'],
    [[], 'en'],
  ])('picks the first language the console speaks from %j', (languages, expected) => {
    expect(preferredLanguage(languages)).toBe(expected);
  });
});
