import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, InvalidConfigurationError } from './app-config.js';

describe('PLAN_CACHE_EXPERIMENTS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'experiments-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;

  const configWith = (content: unknown) => {
    const path = join(dir, `experiment-${++files}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return AppConfig.from({ PLAN_CACHE_EXPERIMENTS_FILE: path });
  };

  const problemsOf = (content: unknown): string[] => {
    try {
      configWith(content);
    } catch (error) {
      if (error instanceof InvalidConfigurationError) return error.problems;
      throw error;
    }
    throw new Error('the configuration was accepted');
  };

  const valid = {
    name: 'ttl-test',
    variants: [
      { name: 'control', weight: 50 },
      { name: 'short-ttl', weight: 25, ttl: 600, grace: 0 },
      { name: 'eager', weight: 25, min_gen_time: 0, early_refresh: 0.5 },
    ],
  };

  it('reads an experiment: the first variant is the control, absent settings are the service’s', () => {
    expect(configWith(valid).experiment).toEqual({
      name: 'ttl-test',
      variants: [
        { name: 'control', weight: 50, overrides: {} },
        { name: 'short-ttl', weight: 25, overrides: { ttlMs: 600_000, graceMs: 0 } },
        { name: 'eager', weight: 25, overrides: { minGenerationMs: 0, earlyRefresh: 0.5 } },
      ],
    });
  });

  it.each([
    [
      'a weight of 0',
      { ...valid, variants: [{ name: 'a', weight: 0 }, valid.variants[1]] },
      'variants.0: weight must be a positive number',
    ],
    [
      'one variant',
      { ...valid, variants: [valid.variants[0]] },
      'variants must list 2 to 10 variants, the control first',
    ],
    ['a name with spaces', { ...valid, name: 'my test' }, 'name must be 1 to 32 lower-case letters'],
    [
      'a fractional TTL',
      { ...valid, variants: [valid.variants[0], { name: 'b', weight: 1, ttl: 1.5 }] },
      'variants.1: ttl must be a whole number of seconds',
    ],
    [
      'early refresh of 1',
      { ...valid, variants: [valid.variants[0], { name: 'b', weight: 1, early_refresh: 1 }] },
      'early_refresh must be between 0 (off) and 0.99',
    ],
    [
      'an unknown setting',
      { ...valid, variants: [valid.variants[0], { name: 'b', weight: 1, max_size: 5 }] },
      'variants.1: property max_size should not exist',
    ],
    [
      'a repeated variant',
      { ...valid, variants: [valid.variants[0], valid.variants[0]] },
      'variant name "control" is used twice',
    ],
    ['a list instead of an object', [valid], 'must hold a JSON object'],
    ['text that is not JSON', '{"name": ', 'is not JSON'],
  ])('stops start-up on %s, saying what is wrong', (_case, content, problem) => {
    const problems = problemsOf(content);
    expect(problems.join('\n')).toContain(problem);
    expect(problems.every((p) => p.startsWith('PLAN_CACHE_EXPERIMENTS_FILE: '))).toBe(true);
  });

  it('stops start-up when the file cannot be read', () => {
    expect(() => AppConfig.from({ PLAN_CACHE_EXPERIMENTS_FILE: join(dir, 'missing.json') })).toThrow(
      /PLAN_CACHE_EXPERIMENTS_FILE: .*missing\.json cannot be read \(ENOENT\)/,
    );
  });
});
