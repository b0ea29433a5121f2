import type { TestApp } from './test-app.js';

/**
 * Counts the requests an app answers on its fast path (from memory, before NestJS), so that a
 * test knows which path made an answer: the hooks read the slot's answerer on every request.
 */
export function countFastAnswers(test: TestApp): () => number {
  const slot = test.app.getHttpAdapter().getInstance().fastAnswerSlot!;
  const answer = slot.answer!;
  let answered = 0;
  slot.answer = (...args) => {
    const done = answer(...args);
    if (done) answered++;
    return done;
  };
  return () => answered;
}
