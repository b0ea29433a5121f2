import { join } from 'node:path';
import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUrl, MinLength, ValidateIf } from 'class-validator';
import { CallerVariables } from './caller-variables.js';
import {
  BooleanSetting,
  emptyToUndefined,
  IntSetting,
  NumberSetting,
  OptionalIntSetting,
  OptionalStringSetting,
} from './setting-decorators.js';
import { defaultEmbeddingsResponseBytes } from './upstream-limits.js';

export const EMBEDDINGS_PROVIDERS = ['builtin', 'openai'] as const;

/** The settings of semantic matching (near-duplicate goals) and of the embeddings it uses. */
export class SemanticVariables extends CallerVariables {
  /** An exact miss may be served the plan of a near-duplicate goal; off by default (docs/decisions.md says why). */
  @BooleanSetting()
  PLAN_CACHE_SEMANTIC_ENABLED = false;

  /** The global cosine similarity a near-duplicate must reach while its entry has no learned threshold. */
  @NumberSetting(0, 1)
  PLAN_CACHE_SEMANTIC_THRESHOLD = 0.9;

  /** δ: the false-hit rate each entry's learned threshold keeps under (upper 95 % bound). */
  @NumberSetting(0.0001, 0.5)
  PLAN_CACHE_SEMANTIC_MAX_ERROR = 0.01;

  /** τ: the share of semantic hits also regenerated in the background to check them. */
  @NumberSetting(0, 1)
  PLAN_CACHE_SEMANTIC_VERIFY_RATE = 0.05;

  /** Plans at least this similar (embeddings of the two plans) count as the same answer. */
  @NumberSetting(0, 1)
  PLAN_CACHE_SEMANTIC_PLAN_AGREEMENT = 0.8;

  /** An OpenAI-compatible chat model that judges whether two plans answer the same goal (else plan similarity). */
  @OptionalStringSetting()
  PLAN_CACHE_SEMANTIC_JUDGE_MODEL?: string;

  /** Observations an entry needs before its own threshold replaces the global one. */
  @IntSetting(1, 100_000)
  PLAN_CACHE_SEMANTIC_MIN_OBSERVATIONS = 10;

  /** The threshold `npm run semantic:calibrate` measured for the embedding model; unset: DATA_DIR/semantic-calibration.json. */
  @OptionalStringSetting()
  PLAN_CACHE_SEMANTIC_CALIBRATION_FILE?: string;

  /** Anonymous callers may report a wrong plan (limited and counted once per address); confirmations stay signed-in only. */
  @BooleanSetting()
  SEMANTIC_FEEDBACK_ANONYMOUS = false;

  /** Feedback requests per caller per minute, shared by every instance. */
  @IntSetting(1, 1_000_000)
  LIMIT_FEEDBACK_PER_MINUTE = 10;

  /** Embedded (semantic) lookups per anonymous address per minute; beyond it, exact matching only. 0: always exact. */
  @IntSetting(0, 1_000_000)
  LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE = 30;

  /** The same for each signed-in subject. */
  @IntSetting(0, 1_000_000)
  LIMIT_AUTHENTICATED_SEMANTIC_LOOKUPS_PER_MINUTE = 300;

  @IsIn(EMBEDDINGS_PROVIDERS)
  EMBEDDINGS_PROVIDER: (typeof EMBEDDINGS_PROVIDERS)[number] = 'builtin';

  /** Defaults to PLANNER_BASE_URL. */
  @Transform(emptyToUndefined)
  @ValidateIf(
    (env: SemanticVariables & { PLANNER_BASE_URL?: string }) =>
      env.EMBEDDINGS_BASE_URL !== undefined || (env.EMBEDDINGS_PROVIDER === 'openai' && !env.PLANNER_BASE_URL),
  )
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    {
      message:
        'EMBEDDINGS_BASE_URL must be an http(s) URL (required when EMBEDDINGS_PROVIDER=openai and PLANNER_BASE_URL is unset)',
    },
  )
  EMBEDDINGS_BASE_URL?: string;

  @IsString()
  @MinLength(1)
  EMBEDDINGS_MODEL = 'text-embedding-3-small';

  /** Defaults to PLANNER_API_KEY. */
  @OptionalStringSetting()
  EMBEDDINGS_API_KEY?: string;

  @IntSetting(1, 600_000)
  EMBEDDINGS_TIMEOUT_MS = 2000;

  @IntSetting(0, 1000)
  EMBEDDINGS_BATCH_WINDOW_MS = 5;

  @IntSetting(1, 2048)
  EMBEDDINGS_BATCH_MAX = 64;

  /** Bytes read of one embeddings answer; unset: a full batch of the widest embeddings. */
  @OptionalIntSetting(1024, 1024 * 1024 * 1024)
  EMBEDDINGS_MAX_RESPONSE_BYTES?: number;

  /** Recent texts whose embeddings are kept in process. */
  @IntSetting(1, 1_000_000)
  EMBEDDINGS_CACHE_SIZE = 10_000;
}

export interface SemanticSettings {
  enabled: boolean;
  threshold: number;
  maxError: number;
  verifyRate: number;
  planAgreement: number;
  judgeModel?: string;
  minObservations: number;
  /** Where the calibrated threshold of the embedding model is read from (and written to by semantic:calibrate). */
  calibrationFile: string;
  /** Anonymous callers may report wrong plans (SEMANTIC_FEEDBACK_ANONYMOUS). */
  anonymousFeedback: boolean;
  feedbackPerMinute: number;
  /** Embedded lookups per caller per minute, by kind of caller; 0: exact matching only. */
  lookupsPerMinute: { anonymous: number; authenticated: number };
}

export interface EmbeddingsSettings {
  provider: (typeof EMBEDDINGS_PROVIDERS)[number];
  baseUrl?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  batchWindowMs: number;
  batchMax: number;
  /** Bytes read of one answer; the call fails past them. */
  maxResponseBytes: number;
  cacheSize: number;
}

type Planner = { PLANNER_BASE_URL?: string; PLANNER_API_KEY?: string };

export function semanticSettingsOf(env: SemanticVariables & { DATA_DIR: string }): SemanticSettings {
  return {
    enabled: env.PLAN_CACHE_SEMANTIC_ENABLED,
    threshold: env.PLAN_CACHE_SEMANTIC_THRESHOLD,
    maxError: env.PLAN_CACHE_SEMANTIC_MAX_ERROR,
    verifyRate: env.PLAN_CACHE_SEMANTIC_VERIFY_RATE,
    planAgreement: env.PLAN_CACHE_SEMANTIC_PLAN_AGREEMENT,
    judgeModel: env.PLAN_CACHE_SEMANTIC_JUDGE_MODEL,
    minObservations: env.PLAN_CACHE_SEMANTIC_MIN_OBSERVATIONS,
    calibrationFile: env.PLAN_CACHE_SEMANTIC_CALIBRATION_FILE ?? join(env.DATA_DIR, 'semantic-calibration.json'),
    anonymousFeedback: env.SEMANTIC_FEEDBACK_ANONYMOUS,
    feedbackPerMinute: env.LIMIT_FEEDBACK_PER_MINUTE,
    lookupsPerMinute: {
      anonymous: env.LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE,
      authenticated: env.LIMIT_AUTHENTICATED_SEMANTIC_LOOKUPS_PER_MINUTE,
    },
  };
}

/** The embeddings' server and key default to the planner's: one OpenAI-compatible account. */
export function embeddingsSettingsOf(env: SemanticVariables & Planner): EmbeddingsSettings {
  return {
    provider: env.EMBEDDINGS_PROVIDER,
    baseUrl: env.EMBEDDINGS_BASE_URL ?? env.PLANNER_BASE_URL,
    apiKey: env.EMBEDDINGS_API_KEY ?? env.PLANNER_API_KEY,
    model: env.EMBEDDINGS_MODEL,
    timeoutMs: env.EMBEDDINGS_TIMEOUT_MS,
    batchWindowMs: env.EMBEDDINGS_BATCH_WINDOW_MS,
    batchMax: env.EMBEDDINGS_BATCH_MAX,
    maxResponseBytes: env.EMBEDDINGS_MAX_RESPONSE_BYTES ?? defaultEmbeddingsResponseBytes(env.EMBEDDINGS_BATCH_MAX),
    cacheSize: env.EMBEDDINGS_CACHE_SIZE,
  };
}
