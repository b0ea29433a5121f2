import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Who a task plan is for: its key and what is checked on read, so that a collision is a miss. */
export interface TaskPlanIdentity {
  /** `plan:` + the first 16 hex digits of sha256("v2\0" + normalized goal + ":" + context). */
  key: string;
  /** The normalized goal, stored in the entry and compared on read. */
  goal: string;
  /** sha256 of the project context (empty when absent), stored and compared on read. */
  contextHash: string;
  /** The tenant's tag when plans are cached per tenant (PLAN_CACHE_SCOPE=tenant, see PlanScopes); undefined: shared. */
  scope?: string;
  /** The tenant whose scope that is, for counting by scope; never stored. */
  tenant?: string;
}

/** A tenant's own plans: its name, and the tag its keys carry instead of it (PlanScopes makes it). */
export interface TenantScope {
  tenant: string;
  tag: string;
}

const NAMESPACE = 'plan';

/**
 * What the hashed material starts with: a key changes with the normalization, so two builds that
 * normalize differently never read each other's plans (version 1, without a prefix, was the
 * normalization of {@link spacedAndCased} alone).
 */
const KEY_VERSION = 'v2\0';

/** Version 1: Unicode NFKC, trimmed, runs of white space made one space, lower case (Cyrillic included). */
function spacedAndCased(goal: string): string {
  return goal.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * The goal as its key sees it: {@link spacedAndCased}, then without the punctuation that does not
 * change what is asked. Applied to version 1's result only, so goals equal under version 1 stay
 * equal. NFKC has already spelled `…` as `...`, `‼` as `!!` and full-width marks as ASCII.
 * - Edges, repeatedly: a final run of sentence marks `. ! ? , ; : 。 、 ‽` (also after a space:
 *   `launch x !`), except a path's dots (`.` or `..` alone or after a space, `/` or `\`: `git add .`,
 *   `cd ..`); leading `¡ ¿`; a pair of quotes or brackets around the whole goal, when neither of
 *   the two occurs inside (`"a" and "b"` keeps its quotes). Quotes pair with any quote (`„…“`,
 *   `»…«`), brackets with their own: `( ) [ ] { } 「 」 『 』`.
 * - Inside, before a space only: a run of `! ? , ;` loses its spaces and repeats of one mark
 *   (`x ! ! y`, `x !! y` → `x! y`), a run of three dots or more becomes `...`. `::`, `..`, `++`, `--` are not
 *   touched, nor any mark between word characters (`v1.2`, `node.js`, `c++`, `c#`, `a/b`, `50%`).
 * A goal of punctuation only keeps it: there is nothing else to key it by.
 */
function normalizeGoal(goal: string): string {
  const spaced = spacedAndCased(goal);
  const stripped = withoutEdgeMarks(spaced);
  if (stripped === '') return spaced;
  return stripped.replace(DOTS_BEFORE_SPACE, '...').replace(MARKS_BEFORE_SPACE, oneOfEachRepeat);
}

// The look-behinds start a match at the first mark of a run only: `! ! ! …` costs its length, not its square.
const DOTS_BEFORE_SPACE = /(?<!\.)\.{3,}(?= )/gu;
const MARKS_BEFORE_SPACE = /(?<![!?,;]) ?[!?,;](?: ?[!?,;])*(?= )/gu;

const oneOfEachRepeat = (run: string): string => run.replaceAll(' ', '').replace(/([!?,;])\1+/gu, '$1');

const SENTENCE_MARKS = new Set('.!?,;:。、‽');
const PATH_DOTS = /^\.{1,2}(?!\.)/u;
const BEFORE_PATH = new Set(['', ' ', '/', '\\']);
const LEADING_MARKS = /^[¡¿]+/u;
const QUOTES = new Set('"\'`«»“”„‟‘’‚‛‹›');
const BRACKETS = new Map(Object.entries({ '(': ')', '[': ']', '{': '}', '「': '」', '『': '』' }));

function withoutEdgeMarks(goal: string): string {
  let text = goal;
  // Each round takes a pair of quotes or brackets that is not inside the rest: a few rounds at most.
  for (let before = ''; text !== before;) {
    before = text;
    text = withoutFinalMarks(text).replace(LEADING_MARKS, '').trimStart();
    if (enclosed(text)) text = text.slice(1, -1).trim();
  }
  return text;
}

/**
 * `text` without the runs of sentence marks (and spaces) it ends with, up to a path's dots
 * (`cd .. !` → `cd ..`). Read from the end, so that `! ! ! …` costs its length, not its square.
 */
function withoutFinalMarks(text: string): string {
  let end = text.length;
  for (;;) {
    let start = end;
    while (start > 0 && SENTENCE_MARKS.has(text[start - 1])) start--;
    if (start === end) return text.slice(0, end);
    const dots = PATH_DOTS.exec(text.slice(start, end))?.[0];
    if (dots !== undefined && BEFORE_PATH.has(text.charAt(start - 1))) return text.slice(0, start + dots.length);
    for (end = start; end > 0 && text[end - 1] === ' ';) end--;
  }
}

/** Whether the first and last characters are one pair of quotes or brackets around all the rest. */
function enclosed(text: string): boolean {
  if (text.length < 2) return false;
  const [open, close] = [text[0], text[text.length - 1]];
  const pair = (QUOTES.has(open) && QUOTES.has(close)) || BRACKETS.get(open) === close;
  const inside = text.slice(1, -1);
  return pair && !inside.includes(open) && !inside.includes(close);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Identities of recent requests: a hot goal asked again costs a lookup instead of its
 * normalization and two SHA-256. Only short requests are kept (bounded memory: 1,024 × 2 KB).
 */
const recentIdentities = new LRUCache<string, Readonly<TaskPlanIdentity>>({ max: 1024 });
const RECENT_IDENTITY_MAX_CHARS = 2048;

/** The identity of a plan; with `tenant`, of that tenant's own plan: `plan:<tenant tag>:<16 hex>`. */
function identify(goal: string, projectContext?: string, tenant?: TenantScope): Readonly<TaskPlanIdentity> {
  // Lengths first: no goal or tenant text can make two requests one key.
  const owner = tenant === undefined ? '' : `${tenant.tag}${tenant.tenant}`;
  const request = `${tenant?.tenant.length ?? -1}:${goal.length}:${owner}${goal}${projectContext ?? ''}`;
  if (request.length > RECENT_IDENTITY_MAX_CHARS) return identityOf(goal, projectContext, tenant);
  let identity = recentIdentities.get(request);
  if (identity === undefined) recentIdentities.set(request, (identity = identityOf(goal, projectContext, tenant)));
  return identity;
}

function identityOf(goal: string, projectContext?: string, tenant?: TenantScope): Readonly<TaskPlanIdentity> {
  const normalized = normalizeGoal(goal);
  const context = projectContext ?? '';
  const hash = sha256(`${KEY_VERSION}${normalized}:${context}`).slice(0, 16);
  const scope = tenant?.tag;
  return Object.freeze({
    key: scope === undefined ? `${NAMESPACE}:${hash}` : `${NAMESPACE}:${scope}:${hash}`,
    goal: normalized,
    contextHash: sha256(context),
    scope,
    tenant: tenant?.tenant,
  });
}

export const TaskPlanKey = { namespace: NAMESPACE, normalizeGoal, identify } as const;
