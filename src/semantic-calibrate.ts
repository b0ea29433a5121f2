import {
  byCategory,
  calibrate,
  formPairs,
  goalEmbeddingModel,
  labelledPairs,
  loadLexicon,
  scorePairs,
  writeCalibration,
} from './chat/index.js';
import { AppConfig } from './config/index.js';
import { embedderOf } from './embeddings/index.js';

/**
 * `npm run semantic:calibrate [labelled-pairs.json]`: embeds the labelled set with the configured
 * provider (EMBEDDINGS_*), finds the lowest threshold whose false-hit rate stays under
 * PLAN_CACHE_SEMANTIC_MAX_ERROR (upper 95 % bound), prints the sweep and the categories, and writes
 * the calibration where the service reads it at start-up (PLAN_CACHE_SEMANTIC_CALIBRATION_FILE).
 */
const BATCH = 64;
const say = (line: string) => process.stdout.write(`${line}\n`);
const pct = ({ rate, low, high, count, of }: { rate: number; low: number; high: number; count: number; of: number }) =>
  `${(rate * 100).toFixed(1)} % [${(low * 100).toFixed(1)}, ${(high * 100).toFixed(1)}] (${count}/${of})`;

async function main(): Promise<number> {
  const config = AppConfig.fromEnvironment();
  const { maxError, calibrationFile } = config.semantic;
  const embedder = embedderOf(config.embeddings);
  const model = goalEmbeddingModel(embedder.model);
  const pairs = formPairs(labelledPairs(process.argv[2]), await loadLexicon());
  const texts = [...new Set(pairs.flatMap((pair) => [pair.formA, pair.formB]))];
  say(`Calibrating ${model} (${config.embeddings.provider}) on ${pairs.length} labelled pairs, ${texts.length} goals`);
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = texts.slice(i, i + BATCH);
    (await embedder.embed(batch)).forEach((vector, j) => vectors.set(batch[j], vector));
  }
  const scored = scorePairs(pairs, vectors);
  const calibration = calibrate(scored, model, maxError);
  if (!calibration) {
    say(`No threshold keeps false hits under ${maxError} (upper 95 % bound) on this set: nothing written.`);
    return 1;
  }
  say('threshold  paraphrases served                 false hits (gates on)');
  // Every fifth threshold, and the one chosen.
  for (const row of calibration.sweep.filter((step, i) => i % 5 === 0 || step.threshold === calibration.threshold)) {
    const mark = row.threshold === calibration.threshold ? ' <' : '';
    say(`${row.threshold.toFixed(2).padEnd(11)}${pct(row.hits).padEnd(35)}${pct(row.falseHits)}${mark}`);
  }
  say('');
  say(`At ${calibration.threshold}, by category:`);
  for (const row of byCategory(scored, calibration.threshold)) {
    say(`  ${row.same ? 'paraphrase   ' : 'hard negative'} ${row.category.padEnd(18)} served ${pct(row.served)}`);
  }
  writeCalibration(calibrationFile, calibration);
  say('');
  say(
    `Threshold ${calibration.threshold} for ${model} written to ${calibrationFile}; the service reads it at start-up.`,
  );
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`semantic:calibrate failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
