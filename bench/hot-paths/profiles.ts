import { profileUnderLoad, type ProfileSummary } from '../report/profile.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import { PLAN_REQUEST } from './cached-answers.js';
import type { Runtime } from './runtimes.js';

export interface RuntimeProfiles {
  runtime: string;
  /** By cached answer: where the service's CPU time went under load. */
  profiles: Record<string, ProfileSummary>;
}

/** CPU profiles of a cached list and a cached plan under load, on `runtime`. */
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
    },
  };
}
