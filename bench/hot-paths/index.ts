import { callersCost, type CallersCost } from './callers-cost.js';
import { gapLadder, type LadderStep } from './ladder.js';
import { memory, type MemoryResult } from './memory.js';
import { primaryRuntime, runtimeComparison, type RuntimeResult } from './runtimes.js';
import { redisComparison, type RedisComparison } from './with-redis.js';

export interface HotPathsResult {
  /** The Node.js the ladder, Redis, callers and layout sections ran on. */
  primary: string;
  ladder: LadderStep[];
  runtimes: RuntimeResult[];
  redis: RedisComparison;
  callers: CallersCost;
  memory: MemoryResult;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Every hot-path section (issue 18): the gap to bare Fastify, both runtimes, Redis, callers, memory. */
export async function hotPaths(): Promise<HotPathsResult> {
  const primary = primaryRuntime();
  say(`hot paths: the gap ladder on ${primary.name}`);
  const ladder = await gapLadder(primary);
  say('hot paths: cached answers against node:http on every runtime');
  const runtimes = await runtimeComparison();
  say('hot paths: hits with Redis enabled and without');
  const redis = await redisComparison(primary);
  say('hot paths: hits with token verification and limits on and off');
  const callers = await callersCost(primary);
  say('hot paths: memory');
  return { primary: primary.name, ladder, runtimes, redis, callers, memory: await memory(primary) };
}
