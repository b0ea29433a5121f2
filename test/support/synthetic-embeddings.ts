import { createHash } from 'node:crypto';

/**
 * A deterministic stand-in for a remote embedding model, for tests and the bench: bag of words
 * over canonical meanings, so that it knows a few synonyms ("ship" is "deploy", «развернуть» is
 * "deploy") where the builtin lexical embedding does not, and is blind to what a cosine is blind
 * to in real models too (numbers, negation, direction: the identity gates' job).
 */
const SYNONYMS: Record<string, string[]> = {
  deploy: [
    'deploy',
    'deploying',
    'deployment',
    'ship',
    'shipping',
    'release',
    'roll',
    'rollout',
    'развернуть',
    'развертывание',
    'деплой',
    'выкатить',
  ],
  setup: [
    'setup',
    'set',
    'configure',
    'configuring',
    'configuration',
    'настроить',
    'настройка',
    'настройку',
    'сконфигурировать',
  ],
  ci: ['ci', 'pipeline', 'pipelines'],
  project: ['project', 'projects', 'repo', 'repository', 'проект', 'проекта', 'проекту', 'репозиторий'],
  test: ['test', 'tests', 'testing', 'тест', 'тесты', 'тестов', 'тестирование'],
  write: ['write', 'writing', 'add', 'create', 'написать', 'добавить', 'создать'],
  database: ['database', 'db', 'databases', 'база', 'базу', 'базы', 'бд'],
  migrate: ['migrate', 'migration', 'move', 'moving', 'перенести', 'миграция', 'мигрировать'],
  app: ['app', 'application', 'service', 'приложение', 'сервис'],
  monitoring: ['monitoring', 'monitor', 'observability', 'мониторинг'],
};

const CANONICAL = new Map<string, string>();
for (const [meaning, words] of Object.entries(SYNONYMS)) for (const word of words) CANONICAL.set(word, meaning);

const FILLER = new Set([
  'a',
  'an',
  'the',
  'my',
  'our',
  'for',
  'to',
  'of',
  'please',
  'up',
  'i',
  'want',
  'how',
  'do',
  'для',
  'мой',
  'в',
  'на',
]);

export const SYNTHETIC_DIMENSIONS = 256;

export function syntheticEmbedding(text: string): number[] {
  const vector = new Array<number>(SYNTHETIC_DIMENSIONS).fill(0);
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}+#.]+/gu) ?? [];
  for (const word of words) {
    if (FILLER.has(word)) continue;
    const meaning = CANONICAL.get(word) ?? word;
    const digest = createHash('sha256').update(meaning).digest();
    for (let i = 0; i < 4; i++) vector[digest.readUInt16BE(i * 2) % SYNTHETIC_DIMENSIONS] += digest[8 + i] & 1 ? 1 : -1;
  }
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / length);
}
