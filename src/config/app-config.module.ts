import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.js';

/** Loads `.env` (never overriding the real environment) and provides the validated {@link AppConfig}. */
@Global()
@Module({
  imports: [ConfigModule.forRoot()],
  providers: [{ provide: AppConfig, useFactory: () => AppConfig.fromEnvironment() }],
  exports: [AppConfig],
})
export class AppConfigModule {}
