import { LexicalEmbedder } from './lexical-embedder.js';
import { dot } from './vectors.js';

const embedder = new LexicalEmbedder();
const similarity = (a: string, b: string) => dot(embedder.embedOne(a), embedder.embedOne(b));

describe('LexicalEmbedder', () => {
  it('gives unit vectors, the same for the same text in every process', () => {
    const vector = embedder.embedOne('Set up CI for the project');
    expect(dot(vector, vector)).toBeCloseTo(1, 5);
    expect(Array.from(embedder.embedOne('Set up CI for the project'))).toEqual(Array.from(vector));
  });

  it('ignores word order, polite filler, stop words and inflections', () => {
    expect(similarity('Set up CI for the project', 'please set up CI for my project')).toBeCloseTo(1, 5);
    expect(similarity('Set up CI for the project', 'setting up CI for a project')).toBeCloseTo(1, 5);
    expect(similarity('deploying the app', 'deployment of the app')).toBeCloseTo(1, 5);
    expect(similarity('Настроить мониторинг сервиса оплаты', 'настроить мониторинга сервисов оплаты')).toBeGreaterThan(
      0.9,
    );
  });

  it('reads a backup however it is written: бэкап, резервное копирование, резервная копия', () => {
    expect(similarity('Настроить бэкап базы', 'настроить резервное копирование базы')).toBeCloseTo(1, 5);
    expect(similarity('Сделать бэкап сайта', 'сделать резервную копию сайта')).toBeCloseTo(1, 5);
  });

  it('keeps words apart whose features share a slot: two slots per feature', () => {
    expect(similarity('logo', 'menu')).toBeLessThan(0.5);
    expect(similarity('Design a logo for the coffee shop', 'Design a menu for the coffee shop')).toBeLessThan(0.8);
  });

  it('stays close across a typo, and apart for another word', () => {
    expect(
      similarity('write unit tests for the billing service', 'write unit tests for the billing servce'),
    ).toBeGreaterThan(0.75);
    expect(similarity('Set up CI for the frontend', 'Set up CI for the backend')).toBeLessThan(0.8);
  });

  it('reads the common synonyms of tasks as one word, and knows no others (what a remote model is for)', () => {
    expect(similarity('Buy a domain for the bakery', 'purchase a domain for the bakery')).toBeCloseTo(1, 5);
    expect(similarity('Починить битые ссылки', 'исправить битые ссылки')).toBeCloseTo(1, 5);
    expect(similarity('Buy a domain for the bakery', 'sell a domain for the bakery')).toBeLessThan(0.8);
    expect(similarity('ship the release', 'deploy the version')).toBeLessThan(0.3);
  });
});
