import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config.js';

const PLANNER_PROBE_MS = 2_000;

/**
 * A remote (OpenAI-compatible) planner: `GET /models` must answer 2xx. Down fails readiness only
 * with PLANNER_REQUIRED=true: cached plans can still be served without it.
 */
@Injectable()
export class PlannerHealthIndicator {
  readonly #url?: string;
  readonly #headers: Record<string, string> = {};

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {
    const { provider, baseUrl, apiKey } = config.planner;
    if (provider === 'openai' && baseUrl) this.#url = `${baseUrl.replace(/\/+$/, '')}/models`;
    if (apiKey) this.#headers.authorization = `Bearer ${apiKey}`;
  }

  get enabled(): boolean {
    return this.#url !== undefined;
  }

  async check(): Promise<HealthIndicatorResult<'planner'>> {
    const session = this.health.check('planner');
    const started = performance.now();
    let problem: string | undefined;
    try {
      const response = await fetch(this.#url!, {
        headers: this.#headers,
        signal: AbortSignal.timeout(PLANNER_PROBE_MS),
      });
      if (!response.ok) problem = `The planner answered HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      problem = `The planner does not answer: ${(error as Error).message}`;
    }
    const details = { provider: 'openai', responseTime: Math.round(performance.now() - started) };
    if (!problem) return session.up(details);
    return this.config.planner.requiredForReadiness
      ? session.down({ ...details, message: problem })
      : session.degraded({ ...details, message: problem });
  }
}
