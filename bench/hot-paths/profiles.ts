import { profileUnderLoad, type ProfileSummary } from '../report/profile.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import { PLAN_REQUEST } from './cached-answers.js';
import type { Runtime } from './runtimes.js';
import { CORS_SETTINGS, JWT_SETTINGS, shippedHeaders, startRedis, unsampledTracing } from './shipped.js';

export interface RuntimeProfiles {
  runtime: string;
  /** By cached answer: where the service's CPU time went under load. */
  profiles: Record<string, ProfileSummary>;
}

/** CPU profiles of a cached list and a cached plan under load, and of the list as shipped, on `runtime`. */
export async function hitProfiles(runtime: Runtime): Promise<RuntimeProfiles> {
  const post = (url: string) => ({ ...PLAN_REQUEST, url: `${url}/api/chat/plan`, method: 'POST' as const });
  return {
    runtime: runtime.name,
    profiles: {
      'cached GET /api/plans': await profileUnderLoad(
        SERVICE_SETTINGS,
        (url) => ({ url: `${url}/api/plans` }),
        undefined,
        runtime.node,
      ),
      'cached POST /api/chat/plan': await profileUnderLoad(
        SERVICE_SETTINGS,
        post,
        (url) => fetch(post(url).url, post(url)),
        runtime.node,
      ),
      'cached GET /api/plans as shipped (Redis, a JWT caller, CORS, tracing unsampled)':
        await shippedListProfile(runtime),
    },
  };
}

/** The list asked by a signed-in browser of the allowed origin, of a service with every production piece on. */
async function shippedListProfile(runtime: Runtime): Promise<ProfileSummary> {
  const redis = await startRedis();
  const tracing = await unsampledTracing();
  try {
    const headers = await shippedHeaders();
    return await profileUnderLoad(
      { ...SERVICE_SETTINGS, ...redis.settings, ...JWT_SETTINGS, ...CORS_SETTINGS, ...tracing.settings },
      (url) => ({ url: `${url}/api/plans`, headers }),
      undefined,
      runtime.node,
    );
  } finally {
    tracing.stop();
    await redis.stop();
  }
}
