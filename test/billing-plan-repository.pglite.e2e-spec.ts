import { PgliteConnection } from '../src/database/pglite-connection.js';
import { repositoryContract } from './support/repository-contract.js';
import { temporaryDataDir } from './support/test-app.js';

describe('BillingPlanRepository on embedded PGlite', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());
  repositoryContract(() => PgliteConnection.open(data.dir, { sharedBuffersMb: 16 }));
});
