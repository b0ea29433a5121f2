import type { PlannerRequest } from './planner.js';

type Language = 'en' | 'ru';
type Domain = 'software' | 'event' | 'learning' | 'business' | 'general';
type Phase = 'clarify' | 'design' | 'build' | 'test' | 'ship' | 'follow';

const DOMAINS: readonly [Domain, RegExp][] = [
  [
    'software',
    /\b(api|apis|app|application|service|backend|frontend|website|site|bot|database|platform|saas|cli|library|server)\b|сервис|приложени|сайт|бот|баз\S* данных|бэкенд|фронтенд|платформ|сервер/iu,
  ],
  [
    'event',
    /\b(wedding|party|conference|meetup|trip|vacation|travel|event|festival)\b|свадьб|вечеринк|конференц|поездк|путешеств|отпуск|мероприят|праздник/iu,
  ],
  ['learning', /\b(learn|study|course|exam|master|practice)\b|изуч|выучи|курс|экзамен|научиться|освоить/iu],
  [
    'business',
    /\b(launch|startup|business|marketing|sell|sales|shop|store|product|customers)\b|запуст|стартап|бизнес|маркетинг|продаж|магазин|продукт|клиент/iu,
  ],
];

const PHASES: readonly Phase[] = ['clarify', 'design', 'build', 'test', 'ship', 'follow'];

/** Step texts by language, domain and phase; `{goal}` is replaced by the goal. */
const STEPS: Record<Language, Record<Domain, Record<Phase, string>>> = {
  en: {
    software: {
      clarify:
        'Clarify the goal: write down who will use "{goal}", the three things it must do first, and how you will know it works.',
      design:
        'Design the approach: sketch the components, the data they keep and the interfaces between them; pick the stack you already know.',
      build:
        'Build it in thin vertical slices: one working path end to end first, then widen it; commit small and often.',
      test: 'Test it: automated tests for the main paths and the error cases, then a run against real dependencies.',
      ship: 'Ship it: deploy to a staging environment, then to production behind a health check, with logs and metrics on.',
      follow:
        'Follow up: watch errors and latency for a week, collect feedback from the first users, plan the next slice.',
    },
    event: {
      clarify: 'Clarify the goal: fix the date, the place, the number of people and the budget for "{goal}".',
      design:
        'Design the programme: a timeline of the day, who is responsible for what, and a plan B for weather or delays.',
      build: 'Book and prepare: venue, transport, food and the people you depend on; confirm each in writing.',
      test: 'Rehearse: walk through the timeline with the people involved and fix the gaps you find.',
      ship: 'Run it: keep the timeline and the contacts at hand, and one person free to handle surprises.',
      follow: 'Follow up: thank the people involved, settle the bills, and note what to do differently next time.',
    },
    learning: {
      clarify: 'Clarify the goal: decide what "{goal}" means for you in concrete terms and by when.',
      design: 'Design the path: pick one main resource, split it into weekly milestones, and book regular study slots.',
      build: 'Study actively: practise every topic with exercises or a small project instead of only reading.',
      test: 'Test yourself: use quizzes, past exams or explaining the topic to someone; revisit what you got wrong.',
      ship: 'Show it: take the exam, publish the project or use the skill in real work.',
      follow: 'Follow up: review after a month to keep it, and choose the next step up.',
    },
    business: {
      clarify:
        'Clarify the goal: define the customer, the problem "{goal}" solves for them, and the number that means success.',
      design: 'Design the offer: price, channel and the smallest version customers would pay for.',
      build: 'Build the minimum: the product or service, a landing page and a way to take orders.',
      test: 'Test with real customers: talk to ten of them, run a small paid trial and measure conversion.',
      ship: 'Launch: announce where your customers already are, and keep support close during the first days.',
      follow: 'Follow up: review the numbers weekly, keep what works, drop what does not.',
    },
    general: {
      clarify: 'Clarify the goal: describe what "{goal}" looks like when it is done, and by when.',
      design: 'Design the approach: list the parts of the work, their order and what each one needs.',
      build: 'Do the work in small steps, starting with the part that removes the most uncertainty.',
      test: 'Check the result against the description from step 1 and fix what falls short.',
      ship: 'Finish: deliver the result to the people who need it and tell them what changed.',
      follow: 'Follow up: look back at what worked and what you would do differently.',
    },
  },
  ru: {
    software: {
      clarify:
        'Уточнить цель: записать, кто будет пользоваться «{goal}», три главные функции и как понять, что всё работает.',
      design: 'Спроектировать решение: набросать компоненты, их данные и интерфейсы между ними; выбрать знакомый стек.',
      build:
        'Разрабатывать тонкими вертикальными срезами: сначала один рабочий сценарий от начала до конца, потом расширять.',
      test: 'Протестировать: автотесты на основные сценарии и ошибки, затем прогон с реальными зависимостями.',
      ship: 'Выпустить: развернуть на тестовом стенде, затем в продакшене с проверкой здоровья, логами и метриками.',
      follow:
        'Сопровождать: неделю следить за ошибками и задержками, собрать отзывы первых пользователей, спланировать следующий срез.',
    },
    event: {
      clarify: 'Уточнить цель: зафиксировать дату, место, число участников и бюджет для «{goal}».',
      design:
        'Составить программу: расписание дня, ответственные за каждую часть и запасной план на случай погоды или задержек.',
      build: 'Забронировать и подготовить: площадку, транспорт, питание и нужных людей; подтвердить всё письменно.',
      test: 'Провести репетицию: пройти расписание с участниками и закрыть найденные пробелы.',
      ship: 'Провести мероприятие: держать под рукой расписание и контакты, оставить одного человека на непредвиденное.',
      follow: 'Подвести итоги: поблагодарить участников, закрыть счета, записать, что сделать иначе в следующий раз.',
    },
    learning: {
      clarify: 'Уточнить цель: решить, что конкретно значит «{goal}» для вас и к какому сроку.',
      design:
        'Построить маршрут: выбрать один основной источник, разбить его на недельные этапы и выделить регулярное время.',
      build: 'Учиться активно: закреплять каждую тему упражнениями или небольшим проектом, а не только чтением.',
      test: 'Проверять себя: тесты, прошлые экзамены или объяснение темы другому человеку; повторять ошибки.',
      ship: 'Применить: сдать экзамен, опубликовать проект или использовать навык в реальной работе.',
      follow: 'Закрепить: повторить через месяц и выбрать следующую ступень.',
    },
    business: {
      clarify: 'Уточнить цель: определить клиента, его проблему, которую решает «{goal}», и число, означающее успех.',
      design: 'Сформулировать предложение: цена, канал продаж и минимальная версия, за которую клиенты заплатят.',
      build: 'Сделать минимум: продукт или услугу, посадочную страницу и способ принимать заказы.',
      test: 'Проверить на реальных клиентах: поговорить с десятью, запустить небольшой платный пилот, измерить конверсию.',
      ship: 'Запустить: объявить там, где уже есть ваши клиенты, и держать поддержку рядом в первые дни.',
      follow: 'Развивать: еженедельно смотреть на цифры, оставлять то, что работает, и убирать лишнее.',
    },
    general: {
      clarify: 'Уточнить цель: описать, как выглядит «{goal}», когда всё готово, и к какому сроку.',
      design: 'Продумать подход: перечислить части работы, их порядок и что нужно для каждой.',
      build: 'Делать работу небольшими шагами, начиная с той части, что снимает больше всего неопределённости.',
      test: 'Сверить результат с описанием из шага 1 и доработать то, что не дотягивает.',
      ship: 'Завершить: передать результат тем, кому он нужен, и рассказать, что изменилось.',
      follow: 'Оглянуться назад: что сработало и что стоит сделать иначе.',
    },
  },
};

const WORDS = {
  en: {
    title: 'Plan',
    context: (context: string) => `Take the project context into account: ${context}`,
    noContext: 'Gather the constraints: deadline, budget, people and tools you already have.',
    reply: (goal: string, domain: Domain) =>
      `Here is how I would approach "${goal}". ${STEPS.en[domain].clarify.replace(/^[^:]+: /, 'First, ')} ` +
      `Then ${lowerFirst(STEPS.en[domain].design.replace(/^[^:]+: /, ''))} ` +
      'Ask for a plan (mode=plan) and I will lay it out step by step.',
  },
  ru: {
    title: 'План',
    context: (context: string) => `Учесть контекст проекта: ${context}`,
    noContext: 'Собрать ограничения: сроки, бюджет, люди и инструменты, которые уже есть.',
    reply: (goal: string, domain: Domain) =>
      `Вот как я бы подошёл к задаче «${goal}». Сначала ${lowerFirst(STEPS.ru[domain].clarify.replace(/^[^:]+: /, ''))} ` +
      `Затем ${lowerFirst(STEPS.ru[domain].design.replace(/^[^:]+: /, ''))} ` +
      'Попросите план (mode=plan), и я распишу его по шагам.',
  },
};

const MAX_CONTEXT_IN_PLAN = 300;

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function languageOf(text: string): Language {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return cyrillic > latin ? 'ru' : 'en';
}

function domainOf(text: string): Domain {
  return DOMAINS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'general';
}

function tidy(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

function summarize(context: string): string {
  const text = tidy(context);
  return text.length <= MAX_CONTEXT_IN_PLAN ? text : `${text.slice(0, MAX_CONTEXT_IN_PLAN - 1)}…`;
}

/**
 * The builtin planner's text: numbered steps phrased for the goal, its kind (software, event,
 * learning, business or general) and its language. Pure and deterministic.
 */
export function writePlan(request: PlannerRequest): string {
  const goal = tidy(request.goal);
  const language = languageOf(goal);
  const domain = domainOf(`${goal} ${request.projectContext ?? ''}`);
  const words = WORDS[language];
  const steps = PHASES.map((phase) => STEPS[language][domain][phase].replace('{goal}', goal));
  const context = request.projectContext?.trim() ? words.context(summarize(request.projectContext)) : words.noContext;
  steps.splice(1, 0, context);
  const lines = steps.map((step, index) => `${index + 1}. ${step}`);
  return `${words.title}: ${goal}\n\n${lines.join('\n')}\n`;
}

/** The builtin agent's conversational answer (`mode=chat`). */
export function writeReply(request: PlannerRequest): string {
  const goal = tidy(request.goal);
  const language = languageOf(goal);
  return WORDS[language].reply(goal, domainOf(`${goal} ${request.projectContext ?? ''}`));
}

/** Splits a text into streaming chunks of a few words; joined, they are the text. */
export function chunksOf(text: string, wordsPerChunk = 3): string[] {
  const words = text.match(/\s*\S+\s*/gu) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(words.slice(i, i + wordsPerChunk).join(''));
  return chunks;
}
