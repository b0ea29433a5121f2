import { LimitExceededError } from './limit-refusal.error.js';
import { MIN_ANSWER_TOKENS, TenantTokens } from './tenant-tokens.js';

describe('TenantTokens', () => {
  it('reserves the prompt and as many answer tokens as are left, up to PLANNER_MAX_TOKENS', async () => {
    const tokens = new TenantTokens(1000, 300, null);
    expect((await tokens.reserve('acme', 100)).maxTokens).toBe(300);
    expect((await tokens.reserve('acme', 100)).maxTokens).toBe(300);
    // 800 held: 200 left, 100 of them for the prompt.
    expect((await tokens.reserve('acme', 100)).maxTokens).toBe(100);
    await expect(tokens.reserve('acme', 10)).rejects.toBeInstanceOf(LimitExceededError);
    // Other tenants have budgets of their own.
    expect((await tokens.reserve('globex', 100)).maxTokens).toBe(300);
  });

  it('never lets concurrent reservations hold more than the budget together', async () => {
    const tokens = new TenantTokens(500, 4096, null);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => tokens.reserve('acme', 50)));
    const held = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value.promptTokens + outcome.value.maxTokens] : [],
    );
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(held.reduce((sum, tokens) => sum + tokens, 0)).toBeLessThanOrEqual(500);
  });

  it('gives back what a call did not use, charges what it used beyond, and settles once', async () => {
    const tokens = new TenantTokens(200, 150, null);
    const first = await tokens.reserve('acme', 20);
    await first.settle(50);
    await first.settle(0); // settled already: nothing more goes back
    // 150 left: a prompt of 20 and 130 answer tokens.
    const second = await tokens.reserve('acme', 20);
    expect(second.maxTokens).toBe(130);
    await second.settle(190); // 40 more than reserved (a prompt under-counted)
    // 200 + 40 spent: nothing is left for a prompt and a minimal answer.
    await expect(tokens.reserve('acme', 1)).rejects.toMatchObject({ status: 429, reason: 'tenant_tokens' });
  });

  it('refuses a call that cannot get a minimal answer, and keeps nothing of the refused wish', async () => {
    const tokens = new TenantTokens(100, 4096, null);
    await expect(tokens.reserve('acme', 100 - MIN_ANSWER_TOKENS + 1)).rejects.toBeInstanceOf(LimitExceededError);
    expect((await tokens.reserve('acme', 100 - MIN_ANSWER_TOKENS)).maxTokens).toBe(MIN_ANSWER_TOKENS);
  });
});
