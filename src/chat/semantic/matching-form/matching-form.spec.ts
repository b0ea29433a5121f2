import { wordsOf } from '../../../embeddings/index.js';
import { firstDisagreement, signatureOf } from '../identity-gates.js';
import { GoalVocabulary, isOneEdit } from './goal-vocabulary.js';
import { matchingFormOf } from './matching-form.js';
import { loadLexicon, type Lexicon } from './lexicon.js';

let dictionary: Lexicon;
beforeAll(async () => {
  dictionary = await loadLexicon();
});

const vocabularyOf = (...goals: string[]) => {
  const vocabulary = new GoalVocabulary();
  for (const goal of goals) vocabulary.add(wordsOf(goal));
  return vocabulary;
};
const form = (goal: string, ...cached: string[]) =>
  matchingFormOf(goal, dictionary, cached.length > 0 ? vocabularyOf(...cached) : undefined);
/** The gate refusing `asked` against `cached`, both read as the matcher reads them. */
const gateBetween = (cached: string, asked: string) =>
  firstDisagreement(signatureOf(form(cached)), signatureOf(form(asked, cached)));

describe('matching form: framing', () => {
  it.each([
    ['Could you set up backups for the database', 'setup backup for the database'],
    ['I need to migrate the blog to Hugo', 'migrate the blog to hugo'],
    ['help me write unit tests, thanks', 'write unit test'],
    ["I'd like you to deploy the app please", 'deploy the app'],
    ['how do I configure nginx for me', 'configure nginx'],
    ['Пожалуйста, настрой CI для проекта', 'настроить ci для проекта'],
    ['Помогите мне перенести блог на Hugo', 'перенести блог на hugo'],
    ['Не могли бы вы удалить старые образы?', 'удалить старые образы'],
    ['Нужно сделать лендинг, спасибо', 'сделать лендинг'],
    ['Can someone explain how to renew a passport by mail? Thanks in advance', 'renew a passport by mail'],
    ['Onboard a new remote employee: what is the process?', 'onboard a new remote employee'],
    ['Открыть ИП для кофейни, с чего начать?', 'открыть ип для кофейни'],
    ['Подскажите, как правильно зарегистрировать фонд', 'зарегистрировать фонд'],
  ])('strips the framing of "%s"', (goal, expected) => {
    expect(form(goal)).toBe(expected);
  });

  it.each([
    ["please don't deploy the app", "don't deploy the app"],
    ['could you not delete the database', 'not delete the database'],
    ['I need to not restart nginx', 'not restart nginx'],
    ['Пожалуйста, не удаляй базу', 'не удаляй базу'],
    ['Не нужно удалять базу', 'не нужно удалять базу'],
  ])('keeps the negation of "%s"', (goal, expected) => {
    expect(form(goal)).toBe(expected);
  });

  it('never strips a goal down to nothing, and has nothing to read in punctuation alone', () => {
    expect(form('please')).toBe('please');
    expect(form('help me')).toBe('help me');
    expect(form('???')).toBe('');
  });

  it('reads contractions as the framing they are, and possessives as their noun', () => {
    expect(form("What's the best way to deploy the app")).toBe(form('What is the best way to deploy the app'));
    expect(form("Let's deploy the app")).toBe('deploy the app');
    expect(form("Configure the subscriber's router")).toBe('configure the subscriber router');
  });
});

describe('matching form: verb forms', () => {
  it.each([
    ['adding logging to the payment service', 'Add logging to the payment service'],
    ['migrating the orders database', 'migrate the order database'],
    ['Setting up a staging environment', 'set up a staging environments'],
    ['Сделай лендинг для распродажи', 'Сделать лендинг для распродажи'],
    ['Напишите модульные тесты', 'написать модульные тесты'],
    ['Перенеси блог на Hugo', 'перенести блог на Hugo'],
    ['Заведи карточки товаров', 'завести карточки товаров'],
    ['Создание нового тарифа', 'создать нового тарифа'],
    ['Добавление логирования', 'добавить логирования'],
    ['Оптимизация медленных запросов', 'оптимизировать медленных запросов'],
    ['Настройка CI для проекта', 'настроить CI для проекта'],
    ['Перенос блога на Hugo', 'перенести блога на Hugo'],
    ['Замена API-ключей', 'заменить API-ключей'],
    ['Разверни приложение', 'развернуть приложение'],
    ['Удали неиспользуемые зависимости', 'удалить неиспользуемые зависимости'],
  ])('reads "%s" as "%s"', (a, b) => {
    expect(form(a)).toBe(form(b));
  });

  it('never lemmatizes a name: Windows, GitHub Actions and HTTPS stay what they are', () => {
    expect(form('Install Windows updates')).toBe('install windows update');
    expect(form('Set up CI on GitHub Actions')).toBe('setup ci on github actions');
    expect(form('Redirect HTTP to HTTPS')).toBe('redirect http to https');
    expect(gateBetween('Install updates', 'Install Windows updates')).toBe('entities');
    expect(gateBetween('Redirect HTTP to HTTPS', 'Redirect HTTPS to HTTP')).toBe('direction');
  });

  it('keeps the names of things: a landing page is not a verb, a noun is not made a verb', () => {
    expect(form('Build the landing page')).toBe('build the landing page');
    expect(form('Записи в журнале')).toBe('записи в журнале');
    // An infinitive further on is the action: the first word stays the noun it is.
    expect(form('Поиск по каталогу добавить')).toBe('поиск по каталогу добавить');
  });
});

describe('matching form: typos', () => {
  it.each([
    ['Configure ngnix with TLS', 'Configure nginx with TLS', 'configure nginx with tls'],
    ['Back up the databse', 'Back up the database', 'backup the database'],
    ['Set up CI for the projcet', 'Set up CI for the project', 'setup ci for the project'],
    ['Настроиь CI для проекта', 'Настроить CI для проекта', 'настроить ci для проекта'],
    [
      'Start a podcast about personal finanse',
      'Start a podcast about personal finance',
      'start a podcast about personal finance',
    ],
    ['Fix the lgoin page', 'Fix the login page', 'fix the login page'],
  ])('corrects "%s" to a word of the cached "%s"', (asked, cached, expected) => {
    expect(form(asked, cached)).toBe(expected);
  });

  it('corrects nothing without cached goals to correct to', () => {
    expect(form('Configure ngnix with TLS')).toBe('configure ngnix with tls');
  });

  it.each([
    ['a dictionary word', 'Настроить подписи для сотрудников', 'Настроить подписки для сотрудников'],
    ['a word of under five letters', 'Fix the tets', 'Fix the test'],
    ['an identifier', 'Bump api_v3 limits', 'Bump api_v2 limits'],
    ['a named entity', 'Migrate from mssql', 'Migrate from mysql'],
    ['a word one edit from two cached words', 'Book the corse', 'Book the course and the corpse'],
    ['a different first letter', 'Исследовать бренды в нише', 'Исследовать тренды в нише'],
    ['a letter far from the one it replaces', 'Repost the fake review', 'Report the fake review'],
    ['a word of software work', 'Set up sharding for the database', 'Set up sharing for the database'],
    // Over thirty letters, a word costs its length squared to index, and no task needs one.
    [
      'a word of over thirty letters',
      'Найти превысокомногорасмотрительствующий',
      'Найти превысокомногорассмотрительствующий',
    ],
  ])('leaves %s alone', (_, asked, cached) => {
    expect(form(asked, cached)).toBe(form(asked));
  });

  it('finds the words one edit away: insertion, deletion, substitution, transposition', () => {
    expect(isOneEdit('databse', 'database')).toBe(true);
    expect(isOneEdit('database', 'databse')).toBe(true);
    expect(isOneEdit('projcet', 'project')).toBe(true);
    expect(isOneEdit('nginy', 'nginx')).toBe(true);
    expect(isOneEdit('ngnix', 'nginx')).toBe(true);
    expect(isOneEdit('xginn', 'nginx')).toBe(false);
    expect(isOneEdit('nginx', 'nginx')).toBe(false);
    expect(vocabularyOf('Configure nginx with TLS').oneEditFrom('ngnix')).toEqual(['nginx']);
  });

  it('forgets the words of goals no longer cached', () => {
    const vocabulary = vocabularyOf('Configure nginx', 'Restart nginx');
    vocabulary.remove(wordsOf('Configure nginx'));
    expect(vocabulary.oneEditFrom('ngnix')).toEqual(['nginx']);
    vocabulary.remove(wordsOf('Restart nginx'));
    expect(vocabulary.oneEditFrom('ngnix')).toEqual([]);
  });
});

describe('matching form and the identity gates', () => {
  it.each([
    ['negation', 'Deploy the app to production', "please don't deploy the app to production"],
    ['negation', 'Удалить старую базу', 'Пожалуйста, не удаляй старую базу'],
    ['numbers', 'Upgrade the cluster to PostgreSQL 15', 'could you upgrade the cluster to PostgreSQL 16'],
    ['identifiers', 'Обновить пакет lodash', 'Обновить пакет lodash-es'],
    ['polarity', 'Install nginx on the server', 'uninstalling nginx on the server'],
    ['polarity', 'Добавить тёмную тему', 'Удаление тёмной темы'],
    ['direction', 'Migrate from MySQL to PostgreSQL', 'I need to migrate from PostgreSQL to MySQL'],
    ['entities', 'Configure nginx with TLS', 'Configure apache with TLS'],
  ])('the %s gate still refuses "%s" for "%s"', (gate, cached, asked) => {
    expect(gateBetween(cached, asked)).toBe(gate);
  });

  it.each([
    ['Migrate the blog to Hugo', 'I need to migrate the blog to Hugo'],
    ['Configure nginx with TLS', 'Could you configure ngnix with TLS'],
    ['Удалить неиспользуемые зависимости', 'Помогите удалить неиспользуемые зависимости'],
    ['Перенести блог на Hugo', 'перенеси блог на Hugo, пожалуйста'],
  ])('lets "%s" and "%s" through every gate', (cached, asked) => {
    expect(gateBetween(cached, asked)).toBeUndefined();
  });
});
