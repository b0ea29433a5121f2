import { ApiError, callApi } from './api.js';
import { byId } from './dom.js';
import { t, type MessageKey } from './i18n.js';
import { streamPlan, type DoneEvent } from './plan-stream.js';
import type { View } from './tabs.js';

/** The task-plan view: a goal and a context in, the plan streamed out with where it came from. */
export function planView(): View {
  const form = byId('plan-form', HTMLFormElement);
  const goal = byId('goal', HTMLTextAreaElement);
  const context = byId('project-context', HTMLTextAreaElement);
  const regenerate = byId('plan-regenerate', HTMLButtonElement);
  const result = byId('plan-result', HTMLDivElement);
  const step = byId('plan-step', HTMLParagraphElement);
  const source = byId('plan-source', HTMLElement);
  const time = byId('plan-time', HTMLElement);
  const key = byId('plan-key', HTMLElement);
  const text = byId('plan-text', HTMLPreElement);
  const feedbackRow = byId('plan-feedback-row', HTMLParagraphElement);
  const wrong = byId('plan-wrong', HTMLButtonElement);
  const feedback = byId('plan-feedback', HTMLSpanElement);
  let stop: (() => void) | undefined;
  let judged: { key: string; goal: string } | undefined;
  /** Why the service takes no feedback from this console (its 401, 403 or 404), once it said so. */
  let refusal: string | undefined;

  const start = (wantsNew: boolean): void => {
    goal.setCustomValidity(goal.value.trim() === '' ? t('plan.goalEmpty') : '');
    if (!form.reportValidity()) return;
    stop?.();
    const started = performance.now();
    result.hidden = false;
    step.textContent = t('plan.connecting');
    source.textContent = time.textContent = key.textContent = '—';
    text.textContent = '';
    text.setAttribute('aria-busy', 'true');
    feedbackRow.hidden = true;
    feedback.textContent = '';
    judged = undefined;
    const asked = goal.value.trim();
    stop = streamPlan(
      { goal: goal.value.trim(), projectContext: context.value, regenerate: wantsNew },
      {
        step: (event) => (step.textContent = event.label),
        chunk: (chunk) => text.append(chunk),
        done: (event) => {
          text.setAttribute('aria-busy', 'false');
          source.textContent = sourceLabel(event);
          source.dataset.source = event.stale ? 'stale' : (event.source ?? '');
          time.textContent = timeText(performance.now() - started, event.generation_ms);
          key.textContent = event.key ?? '—';
          // A cached plan may be another goal's: the client says when it is not what was asked.
          if (event.cached && event.key) {
            judged = { key: event.key, goal: asked };
            feedbackRow.hidden = false;
            wrong.disabled = false;
            wrong.hidden = refusal !== undefined;
            feedback.textContent = refusal ?? '';
          }
        },
        failed: (failure) => {
          text.setAttribute('aria-busy', 'false');
          step.textContent = failure.message ?? t(failure.beforeAnyEvent ? 'plan.refused' : 'plan.lost');
          step.classList.add('error-text');
        },
      },
    );
    step.classList.remove('error-text');
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start(false);
  });
  regenerate.addEventListener('click', () => start(true));
  wrong.addEventListener('click', () => {
    if (!judged) return;
    wrong.disabled = true;
    callApi('/api/chat/plan/feedback', { method: 'POST', body: { ...judged, wrong: true } }).then(
      () => (feedback.textContent = t('plan.wrongSent')),
      (error: Error) => {
        feedback.textContent = error.message;
        // Refused for who the console is (anonymous, by default): the button is not offered again,
        // and the service's own words say why. Other failures (429, 503) may pass: try again.
        if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
          refusal = error.message;
          wrong.hidden = true;
        } else wrong.disabled = false;
      },
    );
  });
  goal.addEventListener('input', () => goal.setCustomValidity(''));

  return { shown: () => undefined };
}

function sourceLabel(event: DoneEvent): string {
  if (event.source === 'semantic' && event.match) {
    return t('source.semantic', { goal: event.match.goal, similarity: event.match.similarity.toFixed(2) });
  }
  const key: MessageKey = event.stale ? 'source.stale' : `source.${event.source ?? 'generator'}`;
  return t(key);
}

function timeText(totalMs: number, generationMs: number | null): string {
  const total = t('plan.took', { total: Math.round(totalMs) });
  return generationMs === null ? total : `${total}, ${t('plan.generation', { ms: generationMs })}`;
}
