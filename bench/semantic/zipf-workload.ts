import { firstDisagreement, signatureOf, type GoalSignature } from '../../src/chat/semantic/identity-gates.js';
import { GoalVocabulary } from '../../src/chat/semantic/matching-form/goal-vocabulary.js';
import { wordsOf } from '../../src/embeddings/goal-words.js';
import { TaskPlanKey } from '../../src/chat/task-plan-cache/task-plan-key.js';
import { dot } from '../../src/embeddings/vectors.js';
import { seededRandom, zipfSampler } from '../support/zipf.js';

export interface WorkloadResult {
  requests: number;
  /** Planner calls with exact matching only. */
  exactCalls: number;
  /** Planner calls with semantic matching at the threshold. */
  semanticCalls: number;
  semanticHits: number;
  /** Semantic hits that served the plan of another group's goal. */
  falseHits: number;
}

interface Cached {
  goal: string;
  group: number;
  vector: Float32Array;
  signature: GoalSignature;
}

/** How the matcher reads a goal: its matching form given the cached goals' words, and that form's vector. */
export interface GoalReader {
  formOf(goal: string, vocabulary: GoalVocabulary): string;
  vectorOf(form: string): Promise<Float32Array>;
}

/**
 * Requests for the groups' goals, groups drawn by Zipf (s = 1) and a phrasing uniformly within the
 * group: how many planner calls exact matching needs, how many semantic matching needs, and how
 * many of its hits were another group's plan.
 */
export async function zipfWorkload(
  groups: readonly string[][],
  reader: GoalReader,
  threshold: number,
  requests = 20_000,
): Promise<WorkloadResult> {
  const vocabulary = new GoalVocabulary();
  const nextGroup = zipfSampler(groups.length, 1, 7);
  const random = seededRandom(11);
  const exact = new Set<string>();
  const semantic = new Map<string, number>();
  const cached: Cached[] = [];
  const result: WorkloadResult = { requests, exactCalls: 0, semanticCalls: 0, semanticHits: 0, falseHits: 0 };
  for (let i = 0; i < requests; i++) {
    const group = nextGroup();
    const phrasings = groups[group];
    const goal = TaskPlanKey.normalizeGoal(phrasings[Math.floor(random() * phrasings.length)]);
    if (!exact.has(goal)) {
      exact.add(goal);
      result.exactCalls++;
    }
    if (semantic.has(goal)) continue;
    const form = reader.formOf(goal, vocabulary);
    const vector = await reader.vectorOf(form);
    const signature = signatureOf(form);
    const match = cached
      .map((entry) => ({ entry, similarity: dot(vector, entry.vector) }))
      .filter(({ entry, similarity }) => similarity >= threshold && !firstDisagreement(signature, entry.signature))
      .sort((x, y) => y.similarity - x.similarity)[0];
    if (match) {
      result.semanticHits++;
      if (match.entry.group !== group) result.falseHits++;
      continue;
    }
    result.semanticCalls++;
    semantic.set(goal, group);
    // Stored as a goal is stored: read alone, nothing to correct it to.
    const stored = reader.formOf(goal, new GoalVocabulary());
    cached.push({ goal, group, vector: await reader.vectorOf(stored), signature: signatureOf(stored) });
    vocabulary.add(wordsOf(goal));
  }
  return result;
}
