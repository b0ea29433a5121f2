import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goalEmbeddingModel, writeCalibration } from '../src/chat/index.js';
import { PACKAGE_ROOT } from '../src/common/package-root.js';
import { LexicalEmbedder } from '../src/embeddings/lexical-embedder.js';
import { useOpenAiApp } from './support/openai-app.js';
import { askPlan } from './support/plan-requests.js';
import { buildService } from './support/service-process.js';

const BUILTIN_MODEL = goalEmbeddingModel(new LexicalEmbedder().model);
const CACHED = 'Set up CI for the billing project';
/** 0.82 similar to CACHED with the builtin embeddings: under the global 0.9, over the calibrated 0.8. */
const NEAR = 'Set up CI and code review for the billing project';

/** A calibration file as `npm run semantic:calibrate` writes it, for `model`, at 0.8. */
function calibrationFor(model: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'calibration-')), 'semantic-calibration.json');
  const rate = { count: 0, of: 437, rate: 0, low: 0, high: 0.0087 };
  writeCalibration(file, {
    model,
    threshold: 0.8,
    maxError: 0.01,
    paraphrasesServed: { ...rate, count: 340, of: 360 },
    falseHits: rate,
    pairs: 797,
    calibratedAt: new Date().toISOString(),
    sweep: [],
  });
  return file;
}

const semanticApp = (calibrationFile: string) =>
  useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    PLAN_CACHE_SEMANTIC_CALIBRATION_FILE: calibrationFile,
  });

describe('npm run semantic:calibrate', () => {
  it('measures the configured model on the labelled set and writes the threshold where the service reads it', async () => {
    buildService();
    const file = join(mkdtempSync(join(tmpdir(), 'calibrate-')), 'calibration.json');
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/semantic-calibrate.js'], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, EMBEDDINGS_PROVIDER: 'builtin', PLAN_CACHE_SEMANTIC_CALIBRATION_FILE: file },
    });
    const calibration = JSON.parse(readFileSync(file, 'utf8')) as {
      model: string;
      threshold: number;
      falseHits: { high: number };
    };
    expect(calibration.model).toBe(BUILTIN_MODEL);
    expect(calibration.threshold).toBeGreaterThanOrEqual(0.5);
    expect(calibration.threshold).toBeLessThan(1);
    expect(calibration.falseHits.high).toBeLessThan(0.01);
    expect(stdout).toContain(`Threshold ${calibration.threshold} for ${BUILTIN_MODEL} written to ${file}`);
  });
});

describe('A calibration made for the embedding model', () => {
  const { app, openai } = semanticApp(calibrationFor(BUILTIN_MODEL));

  it('replaces the global threshold at start-up: a goal 0.82 similar is served the cached plan', async () => {
    await askPlan(app(), CACHED).expect(200);
    const near = await askPlan(app(), NEAR).expect(200);
    expect(near.body.source).toBe('semantic');
    expect(near.body.match.similarity).toBeGreaterThanOrEqual(0.8);
    expect(near.body.match.similarity).toBeLessThan(0.9);
    expect(openai.calls).toBe(1);
  });
});

describe('A calibration made for another embedding model', () => {
  const { app, openai } = semanticApp(calibrationFor('text-embedding-3-small+form1'));

  it('is refused: the global threshold applies and the same goal is planned anew', async () => {
    await askPlan(app(), CACHED).expect(200);
    const near = await askPlan(app(), NEAR).expect(200);
    expect(near.body.source).toBe('generator');
    expect(openai.calls).toBe(2);
    // A paraphrase over the global threshold is still served: matching goes on, uncalibrated.
    const paraphrase = await askPlan(app(), 'please set up CI for my billing project').expect(200);
    expect(paraphrase.body.source).toBe('semantic');
  });
});
