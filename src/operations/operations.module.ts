import { Module } from '@nestjs/common';
import { OperationsListener } from './operations-listener.js';

/** Where operators read the service: the internal listener of OPS_PORT, when set. */
@Module({ providers: [OperationsListener], exports: [OperationsListener] })
export class OperationsModule {}
