import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  Matches,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { messagesByField } from './validation-messages.js';
import { millisecondsOf } from './milliseconds.js';

/**
 * What a variant may change of the task-plan cache's policy, durations in milliseconds (the file
 * gives seconds); absent fields keep the service's settings.
 */
export interface PolicyOverrides {
  ttlMs?: number;
  minGenerationMs?: number;
  graceMs?: number;
  earlyRefresh?: number;
}

export interface VariantSettings {
  name: string;
  weight: number;
  overrides: PolicyOverrides;
}

/** One A/B test of the task-plan cache's policy; the first variant is the control. */
export interface ExperimentSettings {
  name: string;
  variants: VariantSettings[];
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const NAME_MESSAGE = 'must be 1 to 32 lower-case letters, digits, "_" or "-", starting with a letter or digit';

class VariantSchema {
  @Matches(NAME, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsPositive({ message: 'weight must be a positive number' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'weight must be a positive number' })
  weight!: number;

  @IsOptional()
  @IsInt({ message: 'ttl must be a whole number of seconds, at least 1' })
  @Min(1, { message: 'ttl must be a whole number of seconds, at least 1' })
  ttl?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'min_gen_time must be a number of seconds' })
  @Min(0, { message: 'min_gen_time must not be negative' })
  min_gen_time?: number;

  @IsOptional()
  @IsInt({ message: 'grace must be a whole number of seconds' })
  @Min(0, { message: 'grace must not be negative' })
  grace?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'early_refresh must be a fraction of the TTL' })
  @Min(0, { message: 'early_refresh must be between 0 (off) and 0.99' })
  @Max(0.99, { message: 'early_refresh must be between 0 (off) and 0.99' })
  early_refresh?: number;
}

class ExperimentSchema {
  @Matches(NAME, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsArray({ message: 'variants must be a list' })
  @ArrayMinSize(2, { message: 'variants must list 2 to 10 variants, the control first' })
  @ArrayMaxSize(10, { message: 'variants must list 2 to 10 variants, the control first' })
  @ValidateNested({ each: true })
  @Type(() => VariantSchema)
  variants!: VariantSchema[];
}

/**
 * Reads and checks the experiment file named by PLAN_CACHE_EXPERIMENTS_FILE. Answers the
 * experiment, or the problems found, each naming the field (`variants.1.weight must be …`).
 */
export function readExperimentFile(path: string): ExperimentSettings | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `is not JSON (${error.message})` : `cannot be read (${code(error)})`;
    return { problems: [`PLAN_CACHE_EXPERIMENTS_FILE: ${path} ${reason}`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problems: [`PLAN_CACHE_EXPERIMENTS_FILE: ${path} must hold a JSON object`] };
  }
  const schema = plainToInstance(ExperimentSchema, json);
  const errors = validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  const problems = Object.entries(messagesByField(errors)).map(([path, message]) => {
    const parent = path.slice(0, Math.max(0, path.lastIndexOf('.')));
    return parent ? `${parent}: ${message}` : message;
  });
  const names = (schema.variants ?? []).map((variant) => variant.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) problems.push(`variant name "${repeated}" is used twice`);
  if (problems.length > 0) return { problems: problems.map((problem) => `PLAN_CACHE_EXPERIMENTS_FILE: ${problem}`) };
  return {
    name: schema.name,
    variants: schema.variants.map((variant) => ({
      name: variant.name,
      weight: variant.weight,
      overrides: withoutUndefined({
        ttlMs: optionalMilliseconds(variant.ttl),
        minGenerationMs: optionalMilliseconds(variant.min_gen_time),
        graceMs: optionalMilliseconds(variant.grace),
        earlyRefresh: variant.early_refresh,
      }),
    })),
  };
}

const optionalMilliseconds = (seconds: number | undefined): number | undefined =>
  seconds === undefined ? undefined : millisecondsOf(seconds);

function withoutUndefined(overrides: PolicyOverrides): PolicyOverrides {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
