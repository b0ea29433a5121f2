/**
 * A budget is a deadline for failing, not a promise of speed (timing is measured in bench/): a
 * check that holds returns at once, so a long budget costs nothing when the code is right, while a
 * short one fails only a machine that is busy with other work. Every budget is at least this.
 */
export const EVENTUALLY_MIN_BUDGET_MS = 15_000;

/**
 * Waiting for another process (a server, another instance, Redis) to reach a state: polls until
 * the check holds, and fails after `timeoutMs` (at least {@link EVENTUALLY_MIN_BUDGET_MS}). For
 * state, never for measuring time.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = EVENTUALLY_MIN_BUDGET_MS,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + Math.max(timeoutMs, EVENTUALLY_MIN_BUDGET_MS);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
