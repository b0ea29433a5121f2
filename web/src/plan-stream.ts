/** The events of `GET /api/chat/stream`, as the service documents them. */
export interface StepEvent {
  code: 'plan_from_cache' | 'generating_plan' | 'generating_reply';
  label: string;
}

export interface DoneEvent {
  cached: boolean;
  stale: boolean;
  source: 'l1' | 'l2' | 'generator' | null;
  key: string | null;
  generation_ms: number | null;
}

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
 * Streams a plan through the browser's EventSource. The stream is closed at `done` or `error`,
 * so that the EventSource does not reconnect and ask again. Returns a function that stops it.
 */
export function streamPlan(request: PlanRequest, handlers: PlanStreamHandlers): () => void {
  const query = new URLSearchParams({ goal: request.goal });
  if (request.projectContext) query.set('project_context', request.projectContext);
  // An EventSource cannot send headers; the service takes the directives from the query too.
  if (request.regenerate) query.set('cache_control', 'no-cache');
  const source = new EventSource(`/api/chat/stream?${query.toString()}`);
  let received = false;

  const on = <T>(name: string, handle: (data: T) => void): void => {
    source.addEventListener(name, (event) => {
      received = true;
      handle(JSON.parse((event as MessageEvent<string>).data) as T);
    });
  };
  on<StepEvent>('step', (data) => handlers.step(data));
  on<{ text: string }>('chunk', (data) => handlers.chunk(data.text));
  on<DoneEvent>('done', (data) => {
    source.close();
    handlers.done(data);
  });
  // The service's own `error` events carry data; the EventSource's connection errors do not.
  source.addEventListener('error', (event) => {
    source.close();
    if (event instanceof MessageEvent && typeof event.data === 'string') {
      const data = JSON.parse(event.data) as { code: string; message: string };
      handlers.failed({ code: data.code, message: data.message, beforeAnyEvent: false });
    } else {
      handlers.failed({ beforeAnyEvent: !received });
    }
  });
  return () => source.close();
}
