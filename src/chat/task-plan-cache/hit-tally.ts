import type { TaskPlanEntry } from './task-plan-entry.js';

/** Task-plan hits and misses, and what the hits saved; plain fields so that counting costs an increment. */
export class HitTally {
  hits = 0;
  misses = 0;
  /** Generation time the hits did not have to wait for. */
  savedMs = 0;
  /** Planner tokens the hits did not spend (as their generations reported or estimated them). */
  savedInputTokens = 0;
  savedOutputTokens = 0;

  countHit(entry: TaskPlanEntry): void {
    this.hits++;
    this.savedMs += entry.generation_ms;
    this.savedInputTokens += entry.usage?.input_tokens ?? 0;
    this.savedOutputTokens += entry.usage?.output_tokens ?? 0;
  }
}
