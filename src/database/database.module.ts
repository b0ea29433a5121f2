import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/index.js';
import { DATABASE, type DatabaseConnection } from './database.types.js';
import { PgliteConnection } from './pglite-connection.js';
import { PostgresConnection } from './postgres-connection.js';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

async function openDatabase(config: AppConfig): Promise<DatabaseConnection> {
  const logger = new Logger('Database');
  const { url, dataDir, seed, pgliteSharedBuffersMb } = config.database;
  const connection = url
    ? new PostgresConnection(url)
    : await PgliteConnection.open(dataDir, { sharedBuffersMb: pgliteSharedBuffersMb });
  try {
    await connection.prepare({ seed });
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  logger.log(url ? 'PostgreSQL ready (DATABASE_URL)' : `Embedded PGlite ready in ${dataDir}`);
  return connection;
}

@Global()
@Module({
  providers: [
    { provide: DATABASE_CONNECTION, inject: [AppConfig], useFactory: openDatabase },
    {
      provide: DATABASE,
      inject: [DATABASE_CONNECTION],
      useFactory: (connection: DatabaseConnection) => connection.db,
    },
  ],
  exports: [DATABASE, DATABASE_CONNECTION],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
