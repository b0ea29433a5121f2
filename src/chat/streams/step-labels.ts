import type { StepCode } from './plan-replay.js';

export type LabelLanguage = 'en' | 'ru';

const LABELS: Record<LabelLanguage, Record<StepCode, string>> = {
  en: {
    plan_from_cache: 'Plan from cache',
    plan_from_similar: 'Plan from a similar goal',
    generating_plan: 'Generating plan',
    generating_reply: 'Generating reply',
  },
  ru: {
    plan_from_cache: 'План из кэша',
    plan_from_similar: 'План из кэша (похожая цель)',
    generating_plan: 'Генерирую план',
    generating_reply: 'Генерирую ответ',
  },
};

export function stepLabel(code: StepCode, language: LabelLanguage): string {
  return LABELS[language][code];
}

/**
 * Russian when the client's most preferred language (by `q`, then order) is Russian, else English.
 * `Accept-Language: ru-RU,ru;q=0.9,en;q=0.8` → ru; `en,ru;q=0.9` → en.
 */
export function labelLanguageFor(acceptLanguage: string | undefined): LabelLanguage {
  if (!acceptLanguage) return 'en';
  let best: { tag: string; q: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!tag) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { tag, q };
  }
  return best && (best.tag === 'ru' || best.tag.startsWith('ru-')) ? 'ru' : 'en';
}
