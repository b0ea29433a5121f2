import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { StockModule } from './stock-nest-module.js';

/** The stock alternative on NestJS's default platform, Express. BODY_FILE holds the list, PORT the port. */
const port = Number(process.env.PORT);
const app = await NestFactory.create(StockModule, new ExpressAdapter(), { logger: false });
await app.listen(port, '127.0.0.1');
process.stdout.write(`stock NestJS listening on ${port}\n`);
