import type { PlanEventSink, StepCode, StreamSummary } from './plan-replay.js';
import { stepLabel, type LabelLanguage } from './step-labels.js';

/** Where the events go: an open stream, or a buffer of them written at once. */
export interface SseEventWriter {
  send(event: string, data: unknown, retryMs?: number): void;
}

/**
 * A browser's EventSource reconnects whenever a stream ends, after a few seconds by default; after
 * `done` there is nothing more to send, so a page that does not close it waits a day instead of
 * asking for the same plan again and again. Errors keep the default: reconnecting is the remedy.
 */
export const RECONNECT_AFTER_DONE_MS = 86_400_000;

/** Turns a use case's stream into the documented server-sent events. */
export class SsePlanSink implements PlanEventSink {
  constructor(
    private readonly stream: SseEventWriter,
    private readonly language: LabelLanguage,
    /** Sent with every error, for the client to quote. */
    private readonly requestId: string,
  ) {}

  step(code: StepCode): void {
    this.stream.send('step', { code, label: stepLabel(code, this.language) });
  }

  chunk(text: string): void {
    this.stream.send('chunk', { text });
  }

  done(summary: StreamSummary): void {
    this.stream.send('done', summary, RECONNECT_AFTER_DONE_MS);
  }

  error(code: string, message: string): void {
    this.stream.send('error', { code, message, request_id: this.requestId });
  }
}
