import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Embedder } from '../src/embeddings/embedder.js';
import { LexicalEmbedder } from '../src/embeddings/lexical-embedder.js';
import { goalEmbeddingModel, matchingFormOf } from '../src/chat/semantic/matching-form/matching-form.js';
import { loadLexicon } from '../src/chat/semantic/matching-form/lexicon.js';
import { OpenAiEmbedder } from '../src/embeddings/openai-embedder.js';
import { FakeOpenAiServer } from '../test/support/fake-openai-server.js';
import { measureIndex, type IndexLatency } from './semantic/index-latency.js';
import { goalGroups, labelledPairs } from '../src/chat/semantic/calibration/labelled-pairs.js';
import {
  byCategory,
  formPairs,
  scorePairs,
  thresholdSweep,
  type Rate,
  type ScoredPair,
  type Vectors,
} from '../src/chat/semantic/calibration/match-quality.js';
import { calibrate } from '../src/chat/semantic/calibration/semantic-calibration.js';
import { zipfWorkload } from './semantic/zipf-workload.js';

/**
 * The semantic matching measured: on the labelled set (bench/semantic/labelled-pairs.json), for the
 * builtin embedder and a remote model (a deterministic OpenAI-compatible test server), hit rate on
 * paraphrases and false-hit rate with 95 % Wilson intervals, per threshold and per category of
 * pair (how a paraphrase differs, or the kind of hard negative), in each language; planner calls
 * on a Zipf workload of phrasings; the index's lookup latency and memory.
 * Writes docs/load-semantic.md.
 */
const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const THRESHOLDS = [0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.95, 0.98];
const CHOSEN = Number(process.env.BENCH_SEMANTIC_THRESHOLD ?? 0.9);
const INDEX_SIZES = (process.env.BENCH_INDEX_SIZES ?? '10000,100000').split(',').map(Number);
const BATCH = 64;
const MAX_ERROR = 0.01;
/** Pairs written by someone who saw neither the matching rules nor the labelled set: measured, never tuned on. */
const HELD_OUT_FILE = join(import.meta.dirname, '..', '..', 'bench', 'semantic', 'held-out-pairs.json');
const say = (line: string) => process.stdout.write(`${line}\n`);

const pct = (rate: Rate) =>
  `${(rate.rate * 100).toFixed(1)} % [${(rate.low * 100).toFixed(1)}, ${(rate.high * 100).toFixed(1)}] (${rate.count}/${rate.of})`;

async function vectorsOf(embedder: Embedder, texts: string[]): Promise<{ vectors: Vectors; calls: number }> {
  const vectors: Vectors = new Map();
  let calls = 0;
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = texts.slice(i, i + BATCH);
    (await embedder.embed(batch)).forEach((vector, j) => vectors.set(batch[j], vector));
    calls++;
  }
  return { vectors, calls };
}

/** Served and refused, per category of pair, at a threshold. */
function categoryTable(scored: readonly ScoredPair[], threshold: number): string[] {
  const lines = [
    '| pair | category | pairs | refused by gate | refused by threshold | served | served, en | served, ru |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of byCategory(scored, threshold)) {
    const gates =
      Object.entries(row.byGate)
        .map(([gate, count]) => `${gate} ${count}`)
        .join(', ') || '–';
    lines.push(
      `| ${row.same ? 'paraphrase' : 'hard negative'} | ${row.category} | ${row.pairs} | ${gates} | ${row.byThreshold} | ` +
        `${pct(row.served)} | ${pct(row.servedEn)} | ${pct(row.servedRu)} |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const pairs = labelledPairs();
  const dictionary = await loadLexicon();
  const formed = formPairs(pairs, dictionary);
  const heldOut = formPairs(labelledPairs(HELD_OUT_FILE), dictionary);
  const texts = [...new Set([...formed, ...heldOut].flatMap((p) => [p.formA, p.formB]))];
  const groups = goalGroups(pairs);
  const server = await new FakeOpenAiServer('bench-key').start();
  const embedders: [string, Embedder][] = [
    ['builtin (lexical)', new LexicalEmbedder()],
    [
      'remote (test model over HTTP)',
      new OpenAiEmbedder({
        baseUrl: server.url,
        apiKey: 'bench-key',
        model: 'synthetic',
        timeoutMs: 5000,
        maxResponseBytes: 8 * 1024 * 1024,
      }),
    ],
  ];
  const lines: string[] = [
    '# Semantic matching: measured',
    '',
    `Written by \`npm run bench:semantic\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}. ` +
      `Labelled set: ${pairs.length} pairs (${pairs.filter((p) => p.same).length} paraphrases that must share a plan, ` +
      `${pairs.filter((p) => !p.same).length} hard negatives that must not; ${pairs.filter((p) => p.lang === 'ru').length} in Russian). ` +
      'Rates with their 95 % Wilson interval. A pair is served when its similarity reaches the threshold and no identity gate refuses it.',
  ];
  for (const [name, embedder] of embedders) {
    const { vectors, calls } = await vectorsOf(embedder, texts);
    const scored = scorePairs(formed, vectors);
    say(`${name}: ${texts.length} texts in ${calls} calls`);
    lines.push(
      '',
      `## ${name}`,
      '',
      `${texts.length} distinct goals embedded in ${calls} calls (batches of ${BATCH}).`,
      '',
    );
    lines.push(
      '| threshold | paraphrases served | false hits (gates on) | false hits on similarity alone |',
      '|---|---|---|---|',
    );
    for (const row of thresholdSweep(scored, THRESHOLDS)) {
      lines.push(`| ${row.threshold} | ${pct(row.hits)} | ${pct(row.falseHits)} | ${pct(row.falseHitsWithoutGates)} |`);
    }
    lines.push(
      '',
      `At threshold ${CHOSEN}, by category of pair (served: paraphrases a hit, hard negatives a false hit):`,
      '',
    );
    lines.push(...categoryTable(scored, CHOSEN));
    const workload = await zipfWorkload(
      groups,
      {
        formOf: (goal, vocabulary) => matchingFormOf(goal, dictionary, vocabulary),
        vectorOf: async (form) => {
          if (!vectors.has(form)) vectors.set(form, (await embedder.embed([form]))[0]);
          return vectors.get(form)!;
        },
      },
      CHOSEN,
    );
    const calibrated = calibrate(scored, goalEmbeddingModel(embedder.model), MAX_ERROR);
    const heldOutScored = scorePairs(heldOut, vectors);
    const heldOutAt = (threshold: number) => thresholdSweep(heldOutScored, [threshold])[0];
    lines.push(
      '',
      `Calibrated on this set (\`npm run semantic:calibrate\`, δ = ${MAX_ERROR}): ` +
        (calibrated ? `${calibrated.threshold}.` : 'no threshold keeps the bound.'),
      '',
      `**Held-out set** (${HELD_OUT_FILE.split('/').slice(-3).join('/')}, ${heldOut.length} pairs written by someone who ` +
        'saw neither the rules nor the set above, never tuned on):',
      '',
      '| threshold | paraphrases served | false hits (gates on) |',
      '|---|---|---|',
      ...[...new Set([CHOSEN, ...(calibrated ? [calibrated.threshold] : [])])].map((threshold) => {
        const row = heldOutAt(threshold);
        return `| ${threshold} | ${pct(row.hits)} | ${pct(row.falseHits)} |`;
      }),
      '',
      `Held out, at ${CHOSEN}, by category:`,
      '',
      ...categoryTable(heldOutScored, CHOSEN),
    );
    const saved = workload.exactCalls - workload.semanticCalls;
    lines.push(
      '',
      `Zipf workload (s = 1) of ${workload.requests} requests over ${groups.length} goals' phrasings: planner calls ` +
        `${workload.exactCalls} with exact matching, ${workload.semanticCalls} with semantic matching at ${CHOSEN} ` +
        `(${saved} saved, ${((saved / workload.exactCalls) * 100).toFixed(1)} %); ${workload.semanticHits} semantic hits, ` +
        `${workload.falseHits} of them another goal's plan.`,
    );
  }
  await server.stop();

  const latency: IndexLatency[] = INDEX_SIZES.flatMap((size) => {
    say(`index: ${size} entries`);
    return measureIndex(size);
  });
  lines.push(
    '',
    '## Index (builtin embeddings, 512 dimensions, 5 nearest of one bucket)',
    '',
    '| entries | structure | build | p50 | p99 | bytes per entry |',
    '|---|---|---|---|---|---|',
    ...latency.map(
      (row) =>
        `| ${row.entries} | ${row.structure} | ${row.buildMs ? `${(row.buildMs / 1000).toFixed(1)} s` : '–'} | ${row.p50Ms.toFixed(3)} ms | ${row.p99Ms.toFixed(3)} ms | ${Math.round(row.bytesPerEntry)} |`,
    ),
    '',
    "The exact scan's bytes are the vector alone; the index row's are the resident memory the process grew by for " +
      'the entries and their index (vectors, maps, the native graph), measured after a collection.',
  );
  const file = join(DOCS, 'load-semantic.md');
  writeFileSync(file, await format(lines.join('\n'), { ...(await resolveConfig(file)), parser: 'markdown' }));
  say(`written: ${file}`);
}

await main();
