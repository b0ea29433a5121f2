import { createParser } from 'eventsource-parser';

import type { components } from './generated/api.js';

/** The events of `POST /api/chat/stream` (generated from the OpenAPI document). */
export type StepEvent = components['schemas']['StreamStepEventDto'];
export type DoneEvent = components['schemas']['StreamDoneEventDto'];
type ChunkEvent = components['schemas']['StreamChunkEventDto'];
type ErrorEvent = components['schemas']['StreamErrorEventDto'];

export interface PlanStreamHandlers {
  step(event: StepEvent): void;
  chunk(text: string): void;
  done(event: DoneEvent): void;
  /** A failure the service reported (`error` event), or a lost or refused connection (no code). */
  failed(failure: { code?: string; message?: string; beforeAnyEvent: boolean }): void;
}

export interface PlanRequest {
  goal: string;
  projectContext: string;
  regenerate: boolean;
}

/**
 * Streams a plan with `POST /api/chat/stream`: the goal and the project context travel in the
 * body, never in a URL (access logs, proxies' URL limits); the events are read from the response
 * as an EventSource would read them. Returns a function that stops the stream.
 */
export function streamPlan(request: PlanRequest, handlers: PlanStreamHandlers): () => void {
  const controller = new AbortController();
  let received = false;
  let finished = false;
  const finish = (report: () => void): void => {
    if (finished) return;
    finished = true;
    controller.abort();
    report();
  };
  const parser = createParser({
    onEvent({ event, data }) {
      if (finished) return;
      received = true;
      const payload = JSON.parse(data) as unknown;
      if (event === 'step') handlers.step(payload as StepEvent);
      else if (event === 'chunk') handlers.chunk((payload as ChunkEvent).text);
      else if (event === 'done') finish(() => handlers.done(payload as DoneEvent));
      else if (event === 'error') {
        const { code, message } = payload as ErrorEvent;
        finish(() => handlers.failed({ code, message, beforeAnyEvent: false }));
      }
    },
  });
  const body: Record<string, string> = { goal: request.goal };
  if (request.projectContext) body.project_context = request.projectContext;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (request.regenerate) headers['cache-control'] = 'no-cache';

  void (async () => {
    try {
      const response = await fetch('/api/chat/stream', {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        // Default cache mode: `no-store` would make the browser send Cache-Control: no-cache,
        // which regenerates the plan.
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        const answer = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
        return finish(() => handlers.failed({ message: answer?.message, beforeAnyEvent: true }));
      }
      for await (const part of response.body.pipeThrough(new TextDecoderStream())) parser.feed(part);
      finish(() => handlers.failed({ beforeAnyEvent: !received }));
    } catch {
      finish(() => handlers.failed({ beforeAnyEvent: !received }));
    }
  })();
  return () => {
    finished = true;
    controller.abort();
  };
}
