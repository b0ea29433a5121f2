import type { PlanEventSink, StepCode, StreamSummary } from '../plan-events.js';
/** Where the events go: an open stream, or a buffer of them written at once. */
export interface SseEventWriter {
  send(event: string, data: unknown): void;
}
import { stepLabel, type LabelLanguage } from './step-labels.js';

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
    this.stream.send('done', summary);
  }

  error(code: string, message: string): void {
    this.stream.send('error', { code, message, request_id: this.requestId });
  }
}
