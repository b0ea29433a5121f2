import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The physical limit: bare node:http answering the bytes the service answers, with the same
 * headers a cached answer carries. BODY_FILE holds the bytes, PORT the port.
 */
const body = readFileSync(process.env.BODY_FILE ?? '');
const port = Number(process.env.PORT);

createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-cache': 'HIT' });
  response.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write(`node:http listening on ${port}\n`));
