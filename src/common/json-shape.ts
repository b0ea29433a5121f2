/** The deepest nesting a request body may have: every DTO here is two levels deep at most. */
export const MAX_JSON_DEPTH = 32;
/** The most object keys a request body may hold, all levels together: every DTO has a dozen. */
export const MAX_JSON_KEYS = 1000;

/**
 * Why a parsed body is refused before validation, or undefined when its shape is fine. The
 * validation pipe walks every key (class-transformer's work grows with the square of the keys:
 * 75,000 unknown keys held the event loop for 18 s) and recurses (3,000 levels overflowed the
 * stack, a 500): both are bounded here by one iterative walk, which costs little for a real body.
 */
export function jsonShapeProblem(value: unknown): string | undefined {
  const pending: Array<[unknown, number]> = [[value, 1]];
  let keys = 0;
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_JSON_DEPTH) return `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (!Array.isArray(node)) {
      keys += children.length;
      if (keys > MAX_JSON_KEYS) return `The request body has more than ${MAX_JSON_KEYS} fields`;
    }
    for (const child of children) pending.push([child, depth + 1]);
  }
  return undefined;
}
