import { stemOf } from './goal-words.js';

/**
 * Words that ask for the same thing in a task, for the builtin embedding, which cannot learn them:
 * common verbs of work on software, shops and networks, and a few nouns with a second name. Each
 * group is one meaning; a word belongs to one group at most. Words whose sense turns on context are
 * left out: «перевести» (move or translate), "build" (create or compile), "make", "cut" (a release),
 * "client" (a customer or a program), "mail" (e-mail or post), "clean up" (not always delete).
 * Opposites never share a group: the identity gates read direction and polarity, this only says
 * which words mean one thing.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['configure', 'setup', 'config', 'настроить', 'сконфигурировать', 'конфигурировать', 'прописать'],
  ['migrate', 'move', 'transfer', 'relocate', 'перенести', 'мигрировать', 'переместить'],
  ['remove', 'delete', 'erase', 'удалить', 'убрать', 'стереть'],
  ['create', 'add', 'создать', 'сделать', 'добавить', 'завести', 'подготовить', 'сформировать'],
  ['write', 'compose', 'draft', 'написать', 'составить'],
  ['fix', 'repair', 'починить', 'исправить', 'пофиксить', 'отремонтировать'],
  ['buy', 'purchase', 'купить', 'приобрести'],
  ['start', 'launch', 'begin', 'запустить', 'стартовать'],
  ['reduce', 'decrease', 'lower', 'сократить', 'уменьшить', 'снизить'],
  ['check', 'inspect', 'review', 'verify', 'проверить', 'просмотреть'],
  ['collect', 'gather', 'собирать', 'собрать'],
  ['limit', 'throttle', 'cap', 'ограничить'],
  ['block', 'prevent', 'заблокировать', 'блокировать', 'предотвратить'],
  ['find', 'search', 'locate', 'найти', 'подобрать', 'отыскать', 'поискать'],
  ['replace', 'swap', 'заменить', 'сменить', 'поменять'],
  ['split', 'разбить', 'разделить'],
  ['hire', 'recruit', 'нанять'],
  ['conduct', 'провести'],
  ['speedup', 'accelerate', 'faster', 'ускорить'],
  ['log', 'logs', 'лог', 'логи', 'журнал', 'журналы'],
  ['backup', 'бэкап', 'бекап'],
  ['bug', 'error', 'defect', 'баг', 'ошибка', 'ошибку', 'ошибки'],
  ['duplicate', 'dupe', 'дубликат', 'дубль', 'дубли'],
  ['notification', 'alert', 'уведомление', 'уведомления', 'оповещение', 'оповещения'],
  ['customer', 'клиент', 'покупатель'],
  ['employee', 'staff', 'сотрудник', 'работник'],
  ['website', 'site', 'сайт'],
  ['email', 'e-mail', 'письмо'],
  ['weekly', 'еженедельный', 'недельный'],
  ['change', 'modify', 'alter', 'edit', 'изменить', 'модифицировать', 'отредактировать'],
  ['send', 'отправить', 'выслать', 'прислать', 'послать'],
  ['organize', 'organise', 'arrange', 'организовать', 'устроить'],
  ['choose', 'select', 'pick', 'выбрать'],
  ['calculate', 'compute', 'рассчитать', 'посчитать', 'вычислить', 'подсчитать'],
  ['book', 'reserve', 'забронировать', 'зарезервировать'],
  ['teach', 'train', 'обучить', 'научить'],
  ['learn', 'study', 'изучить', 'выучить'],
  ['improve', 'enhance', 'улучшить'],
  ['documentation', 'docs', 'документация'],
  ['apartment', 'flat', 'квартира'],
  ['car', 'auto', 'машина', 'автомобиль'],
  ['doctor', 'physician', 'врач', 'доктор'],
  ['child', 'kid', 'ребенок'],
  ['photo', 'picture', 'фото', 'фотография'],
  ['price', 'cost', 'цена', 'стоимость'],
  ['trip', 'journey', 'поездка', 'путешествие'],
  ['meeting', 'встреча', 'совещание'],
  ['shop', 'магазин'],
  ['contract', 'договор', 'контракт'],
  ['salary', 'wage', 'зарплата'],
  ['vacation', 'holiday', 'отпуск'],
  ['resume', 'cv', 'резюме'],
];

const CONCEPT_OF_STEM = new Map<string, string>();
for (const group of GROUPS) for (const word of group) CONCEPT_OF_STEM.set(stemOf(word), group[0]);

/** The meaning a content word's stem stands for, when it is one of the known synonyms. */
export function conceptOf(stem: string): string | undefined {
  return CONCEPT_OF_STEM.get(stem);
}
