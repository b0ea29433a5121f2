import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The physical limit: bare node:http answering the bytes the service answers, with the same
 * headers a cached answer carries. BODY_FILE holds the bytes, PORT the port; CONTENT_TYPE and
 * CONTENT_ENCODING say what they are (JSON, plain, by default).
 */
const body = readFileSync(process.env.BODY_FILE ?? '');
const port = Number(process.env.PORT);
const headers: Record<string, string> = {
  'content-type': process.env.CONTENT_TYPE ?? 'application/json; charset=utf-8',
  'x-cache': 'HIT',
  // As the service does: a length, not a chunked answer.
  'content-length': String(body.length),
};
if (process.env.CONTENT_ENCODING) headers['content-encoding'] = process.env.CONTENT_ENCODING;

createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write(`node:http listening on ${port}\n`));
