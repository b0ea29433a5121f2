import { Inject, Injectable, Logger } from '@nestjs/common';
import { bodyStart, readCappedJson } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import { TEXT_EMBEDDINGS, type TextEmbeddings, dot } from '../../embeddings/index.js';

const JUDGE_INSTRUCTIONS =
  'You check a plan cache. Given a goal and two plans, answer YES if the cached plan serves the goal ' +
  'as well as the fresh one does (the same task, not merely the same topic), otherwise NO. Answer one word.';

interface JudgeAnswer {
  choices?: { message?: { content?: string | null } }[];
}

/**
 * Whether a cached plan served for a near-duplicate goal is as good as the plan made for the goal
 * itself: an OpenAI-compatible judge model when PLAN_CACHE_SEMANTIC_JUDGE_MODEL is set, else the
 * similarity of the two plans' embeddings against PLAN_CACHE_SEMANTIC_PLAN_AGREEMENT. Undefined
 * when neither can say (no observation is better than a made-up one).
 */
@Injectable()
export class PlanAgreement {
  readonly #logger = new Logger('PlanAgreement');

  constructor(
    @Inject(TEXT_EMBEDDINGS) private readonly embeddings: TextEmbeddings,
    private readonly config: AppConfig,
  ) {}

  async agree(goal: string, cachedPlan: string, freshPlan: string): Promise<boolean | undefined> {
    if (this.config.semantic.judgeModel) return this.#judge(goal, cachedPlan, freshPlan);
    const [cached, fresh] = await Promise.all([this.embeddings.embed(cachedPlan), this.embeddings.embed(freshPlan)]);
    if (!cached || !fresh) return undefined;
    return dot(cached, fresh) >= this.config.semantic.planAgreement;
  }

  async #judge(goal: string, cachedPlan: string, freshPlan: string): Promise<boolean | undefined> {
    const { baseUrl, apiKey, timeoutMs } = this.config.planner;
    if (!baseUrl) return undefined;
    try {
      const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey && { authorization: `Bearer ${apiKey}` }) },
        body: JSON.stringify({
          model: this.config.semantic.judgeModel,
          max_tokens: 3,
          temperature: 0,
          messages: [
            { role: 'system', content: JUDGE_INSTRUCTIONS },
            { role: 'user', content: `Goal: ${goal}\n\nCached plan:\n${cachedPlan}\n\nFresh plan:\n${freshPlan}` },
          ],
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await bodyStart(response)}`);
      const answer = (await readCappedJson(response, this.config.planner.answerLimits.answerBytes)) as JudgeAnswer;
      const verdict = answer.choices?.[0]?.message?.content?.trim().toLowerCase();
      if (verdict?.startsWith('yes')) return true;
      if (verdict?.startsWith('no')) return false;
      return undefined;
    } catch (error) {
      this.#logger.warn({
        msg: 'The judge model did not answer; no observation recorded',
        err: (error as Error).message,
      });
      return undefined;
    }
  }
}
