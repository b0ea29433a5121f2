/**
 * Waiting for another process (a server, another instance, Redis) to reach a state: polls until
 * the check holds, and fails after `timeoutMs`. For state, never for measuring time.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
