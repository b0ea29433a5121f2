import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AppConfig } from '../config/index.js';

const PLANNER_PROBE_MS = 2_000;

interface ProbeOutcome {
  at: number;
  responseTime: number;
  problem?: string;
}

/**
 * A remote (OpenAI-compatible) planner: `GET /models` must answer 2xx, asked at most once every
 * few seconds however often the orchestrator probes. Down fails readiness only with
 * PLANNER_REQUIRED=true: cached plans can still be served without it.
 */
@Injectable()
export class PlannerHealthIndicator {
  readonly #url?: string;
  readonly #headers: Record<string, string> = {};
  #last?: Promise<ProbeOutcome>;
  /** A probe's outcome answers the readiness probes of the next seconds: the provider's rate limit is not ours to spend. */
  readonly #reuseForMs: number;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {
    const { provider, baseUrl, apiKey } = config.planner;
    if (provider === 'openai' && baseUrl) this.#url = `${baseUrl.replace(/\/+$/, '')}/models`;
    if (apiKey) this.#headers.authorization = `Bearer ${apiKey}`;
    this.#reuseForMs = config.planner.probeIntervalMs;
  }

  get enabled(): boolean {
    return this.#url !== undefined;
  }

  async check(): Promise<HealthIndicatorResult<'planner'>> {
    const session = this.health.check('planner');
    const { problem, responseTime } = await this.#outcome();
    const details = { provider: 'openai', responseTime };
    if (!problem) return session.up(details);
    return this.config.planner.requiredForReadiness
      ? session.down({ ...details, message: problem })
      : session.degraded({ ...details, message: problem });
  }

  /** The last probe's outcome while it is recent (or still running), else a new probe's. */
  #outcome(): Promise<ProbeOutcome> {
    const last = this.#last;
    if (!last) return this.#probe();
    return last.then((outcome) => {
      if (performance.now() - outcome.at < this.#reuseForMs) return outcome;
      // The first caller to find it old probes again; the others wait for that probe.
      return this.#last === last ? this.#probe() : this.#last!;
    });
  }

  #probe(): Promise<ProbeOutcome> {
    const probe = (async (): Promise<ProbeOutcome> => {
      const started = performance.now();
      let problem: string | undefined;
      try {
        const response = await fetch(this.#url!, {
          headers: this.#headers,
          signal: AbortSignal.timeout(PLANNER_PROBE_MS),
        });
        if (!response.ok) problem = `The planner answered HTTP ${response.status}`;
        await response.body?.cancel();
      } catch {
        problem = 'The planner does not answer';
      }
      const at = performance.now();
      return { at, responseTime: Math.round(at - started), problem };
    })();
    this.#last = probe;
    return probe;
  }
}
