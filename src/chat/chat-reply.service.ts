import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../callers/index.js';
import { GenerationAdmission } from '../callers/index.js';
import { AppConfig } from '../config/index.js';
import { Generation } from './generation/generation.js';
import { UnknownUsage } from './generation/unknown-usage.js';
import type { PlanEventSink } from './streams/plan-replay.js';
import { PLANNER, type Planner, type PlannerRequest } from './planner/planner.js';
import { describeFailure, GenerationCancelledError } from './planner/planner.errors.js';

/** `mode=chat`: the agent's conversational answer, streamed and never cached. */
@Injectable()
export class ChatReplyService {
  readonly #timeoutMs: number;

  constructor(
    @Inject(PLANNER) private readonly planner: Planner,
    private readonly admission: GenerationAdmission,
    config: AppConfig,
  ) {
    this.#timeoutMs = config.planner.timeoutMs;
  }

  /** Throws a refusal (limits, busy planner) before anything is sent. */
  async streamReply(
    request: PlannerRequest,
    caller: Caller,
    clientGone: AbortSignal,
    sink: PlanEventSink,
  ): Promise<void> {
    const permit = await this.admission.admit(caller, 'chat', this.planner.promptTokens(request, 'reply'));
    try {
      sink.step('generating_reply');
    } catch (error) {
      // Nothing was sent: the slot and the reservation go back.
      permit.release();
      await permit.refund();
      throw error;
    }
    const unknownUsage = new UnknownUsage();
    const generation = new Generation(
      ({ signal, onChunk }) =>
        this.planner.reply(request, {
          signal,
          onChunk: unknownUsage.sending(onChunk),
          stream: true,
          maxTokens: permit.maxTokens,
        }),
      this.#timeoutMs,
    );
    const settled = generation.result.then(
      ({ usage }) => permit.settle(usage.input_tokens + usage.output_tokens),
      unknownUsage.settleFailed(permit),
    );
    settled.catch(() => undefined);
    const leave = generation.follow(clientGone, (text) => sink.chunk(text));
    try {
      const { generationMs, truncated, usage } = await generation.result;
      await settled;
      sink.done({
        cached: false,
        stale: false,
        source: null,
        key: null,
        etag: null,
        generation_ms: Math.round(generationMs),
        truncated,
        usage,
        saved: null,
      });
    } catch (error) {
      if (error instanceof GenerationCancelledError) return;
      const { code, message } = describeFailure(error);
      sink.error(code, message);
    } finally {
      leave();
      permit.release();
    }
  }
}
