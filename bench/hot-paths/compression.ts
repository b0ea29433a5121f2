import { compareBothClients, ratios, type BothClients, type BothRatios } from '../support/both-clients.js';
import { startPeer, startService, type Running } from '../support/processes.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import { BIG_LIST_PATH, bigListAnswers } from './cached-answers.js';
import { LADDER_SECONDS } from './ladder.js';
import type { Runtime } from './runtimes.js';

export const ACCEPT_COMPRESSED = { 'accept-encoding': 'br, gzip' };

export interface CompressionResult {
  runtime: string;
  bytes: number;
  plain_bytes: number;
  plain: BothClients;
  compressed: BothClients;
  nodePlain: BothClients;
  nodeBrotli: BothClients;
  /** Compressed hits over plain hits of the same service: 1 or more, compression costs a hit nothing. */
  compressedOverPlain: BothRatios;
}

/** A 200-plan list asked plain and with `Accept-Encoding: br, gzip`, next to node:http sending each's bytes. */
export async function compression(runtime: Runtime): Promise<CompressionResult> {
  const running: Running[] = [];
  try {
    const big = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
    running.push(big);
    const answers = await bigListAnswers(big);
    const nodePlain = await startPeer('node-http', answers.bigList.file, {}, runtime.node);
    running.push(nodePlain);
    const nodeBrotli = await startPeer(
      'node-http',
      answers.bigListBrotli.file,
      { CONTENT_ENCODING: 'br' },
      runtime.node,
    );
    running.push(nodeBrotli);
    const pid = big.process.pid!;
    const m = await compareBothClients(
      {
        plain: { url: `${big.url}${BIG_LIST_PATH}`, pid },
        compressed: { url: `${big.url}${BIG_LIST_PATH}`, headers: ACCEPT_COMPRESSED, pid },
        nodePlain: { url: `${nodePlain.url}/api/plans`, pid: nodePlain.process.pid! },
        nodeBrotli: { url: `${nodeBrotli.url}/api/plans`, pid: nodeBrotli.process.pid! },
      },
      LADDER_SECONDS,
    );
    return {
      runtime: runtime.name,
      bytes: answers.bigListBrotli.bytes,
      plain_bytes: answers.bigList.bytes,
      ...m,
      compressedOverPlain: ratios(m.compressed, m.plain),
    };
  } finally {
    for (const one of running) await one.stop();
  }
}
