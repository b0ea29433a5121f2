import { namePositions } from '../named-entities.js';
import type { Lexicon } from './lexicon.js';

const LATIN_WORD = /^[a-z]+$/u;
const CYRILLIC_WORD = /^[а-я]+$/u;

/**
 * An English word's lemma (wink-lemmatizer, rules and exception lists): the task's head as a verb
 * ("adding" → "add", "migrating" → "migrate": the Snowball stemmer alone makes "adding" "ad"),
 * every other word as a noun ("backups" → "backup"), since "landing page" and "billing service"
 * name things, not actions.
 */
function englishLemma(word: string, isHead: boolean, lexicon: Lexicon): string {
  if (word.length < 4) return word;
  let lemma = word;
  if (isHead && (word.endsWith('ing') || word.endsWith('ed') || word.endsWith('es')))
    lemma = lexicon.lemmatizer.verb(word);
  else if (word.endsWith('s') && !word.endsWith('ss')) lemma = lexicon.lemmatizer.noun(word);
  // A lemma the dictionary does not know is a name cut short: "https" is not a plural of "http".
  return lemma === word || lexicon.isWord(lemma) ? lemma : word;
}

/**
 * The infinitives a Russian imperative or verbal noun may come from, most likely first: «удали» →
 * «удалить», «перенеси» → «перенести», «напиши» → «написать», «сделай» → «сделать», «добавь» →
 * «добавить»; «создание» → «создать», «добавление» → «добавить», «оптимизация» →
 * «оптимизировать», «настройка» → «настроить». Only a candidate the dictionary knows is taken.
 */
function infinitivesOf(word: string): string[] {
  const noun = verbalNounInfinitives(word);
  if (noun.length > 0) return noun;
  const singular = /(?:й|и|ь)те$/u.test(word) ? word.slice(0, -2) : word;
  const base = singular.slice(0, -1);
  if (/[ая]й$/u.test(singular)) return [`${base}ть`];
  if (/уй$/u.test(singular)) return [`${singular.slice(0, -2)}овать`];
  if (/ой$/u.test(singular)) return [`${base}ить`];
  if (/[^аеиоуыэюя]ь$/u.test(singular)) return [`${base}ить`];
  if (/[^аеиоуыэюя]и$/u.test(singular)) {
    const alternated = ALTERNATIONS[base.slice(-1)];
    return [
      `${base}ить`,
      `${base}ти`,
      ...(base.endsWith('н') ? [`${base}уть`] : []), // разверни → развернуть
      ...(alternated ? [`${base.slice(0, -1)}${alternated}`] : []),
    ];
  }
  return [];
}

/** Consonants that alternate between a verb's imperative and its infinitive: заведи → завести, напиши → написать. */
const ALTERNATIONS: Readonly<Record<string, string>> = { д: 'сти', т: 'сти', ш: 'сать', ж: 'зать', ч: 'кать' };

/**
 * Verbal nouns without a suffix, which no ending rule reaches: the common ones of tasks, in the
 * nominative (the head of a task is).
 */
const ZERO_SUFFIX_NOUNS: Readonly<Record<string, string>> = {
  перенос: 'перенести',
  перевод: 'перевести',
  сбор: 'собрать',
  найм: 'нанять',
  поиск: 'найти',
  запуск: 'запустить',
  выпуск: 'выпустить',
  подбор: 'подобрать',
  разбор: 'разобрать',
  набор: 'набрать',
  заказ: 'заказать',
  показ: 'показать',
  расчет: 'рассчитать',
  переход: 'перейти',
  ремонт: 'отремонтировать',
  импорт: 'импортировать',
  экспорт: 'экспортировать',
};

/**
 * Nouns with a verb's ending that name a thing, not the verb's action: «подписка» is a
 * subscription, not signing; «сообщение» a message, not reporting.
 */
const THING_NOUNS = new Set(
  (
    'подписка выписка записка ссылка скидка ставка вывеска обложка открытка кнопка упаковка посылка ' +
    'сообщение приложение предложение объявление уведомление изображение расписание отношение значение ' +
    'задание решение состояние соглашение помещение учреждение заявление направление отделение здание ' +
    'мнение занятие издание собрание положение содержание окружение отражение'
  ).split(' '),
);

/** Verbal nouns in any case («настройка», «настройки», «настройку»), by their endings. */
function verbalNounInfinitives(word: string): string[] {
  if (ZERO_SUFFIX_NOUNS[word]) return [ZERO_SUFFIX_NOUNS[word]];
  const nominative = word.replace(/(?:ию|ии|ия|ие)$/u, 'ие').replace(/(?:ку|ки|кой|ке)$/u, 'ка');
  if (THING_NOUNS.has(nominative)) return [];
  let match: RegExpMatchArray | null;
  if ((match = /^(.{3,})ация$/u.exec(nominative.replace(/ацие$/u, 'ация')))) {
    return [`${match[1]}ировать`, `${match[1]}овать`, `${match[1]}ать`];
  }
  if ((match = /^(.{3,})([аяе])ние$/u.exec(nominative))) {
    const [, base, vowel] = match;
    if (vowel !== 'е') return [`${base}${vowel}ть`];
    return [
      `${base.replace(/([вбмпф])л$/u, '$1')}ить`,
      `${base}ить`,
      `${base.replace(/[дт]$/u, 'с')}ти`,
      `${base}еть`,
      `${base.replace(/и$/u, '')}ить`,
    ];
  }
  // замена → заменить, защита → защитить: a noun of an -ить verb, when the dictionary knows the verb.
  if ((match = /^(.{3,}[^аеиоуыэюяк])а$/u.exec(word))) return [`${match[1]}ить`];
  if ((match = /^(.{3,})ка$/u.exec(nominative))) {
    const base = match[1];
    if (base.endsWith('й')) return [`${base.slice(0, -1)}ить`];
    if (base.endsWith('ов')) return [`${base}ать`, `${base}ить`];
    return [`${base}ить`, `${base}ать`];
  }
  return [];
}

/** A Russian infinitive, not a noun in -ость/-ости or -сть (скорость, зависимости, часть). */
const INFINITIVE = /^[а-я]{2,}(?:[аяеиоуы]ть|[^о]сти|зти|йти|чь)(?:ся)?$/u;

/**
 * The lemma of each word, so that the forms of one verb read as one ("migrating" and "migrate",
 * «сделай», «сделать» and «создание»): English words through wink-lemmatizer; in Russian, for which
 * npm has no maintained lemmatizer, the task's head (its first word) becomes its infinitive when
 * it is an imperative or a verbal noun and the dictionary knows the infinitive; the other Russian
 * words keep their case endings, which the stemmer and real models read well. Words with digits or
 * symbols stay as they are: they are names.
 */
export function lemmasOf(words: readonly string[], lexicon: Lexicon): string[] {
  // With an infinitive further on («поиск по каталогу добавить»), the first word is not the action.
  const headIsAction = !words.slice(1).some((word) => INFINITIVE.test(word));
  const names = namePositions(words);
  return words.map((word, i) => {
    if (names.has(i)) return word;
    if (LATIN_WORD.test(word)) return englishLemma(word, i === 0, lexicon);
    if (i > 0 || !headIsAction || !CYRILLIC_WORD.test(word)) return word;
    return infinitivesOf(word).find((candidate) => candidate !== word && lexicon.isWord(candidate)) ?? word;
  });
}
