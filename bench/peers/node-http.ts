import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The physical limit: bare node:http answering the bytes the service answers, with the same
 * headers a cached answer carries. BODY_FILE holds the bytes, PORT the port; CONTENT_TYPE and
 * CONTENT_ENCODING say what they are (JSON, plain, by default). ANSWER_HEADERS (JSON) gives every
 * header of a given answer instead; an `access-control-allow-origin` among them is then answered
 * only to a request from that origin, as CORS does.
 */
const body = readFileSync(process.env.BODY_FILE ?? '');
const port = Number(process.env.PORT);
const given = process.env.ANSWER_HEADERS
  ? (JSON.parse(process.env.ANSWER_HEADERS) as Record<string, string>)
  : undefined;
const headers: Record<string, string> = given ?? {
  'content-type': process.env.CONTENT_TYPE ?? 'application/json; charset=utf-8',
  'x-cache': 'HIT',
};
if (!given && process.env.CONTENT_ENCODING) headers['content-encoding'] = process.env.CONTENT_ENCODING;
// As the service does: a length, not a chunked answer.
headers['content-length'] = String(body.length);
const allowedOrigin = headers['access-control-allow-origin'];
const withoutOrigin = Object.fromEntries(
  Object.entries(headers).filter(([name]) => name !== 'access-control-allow-origin'),
);

createServer((request, response) => {
  const crossOrigin = allowedOrigin !== undefined && request.headers.origin === allowedOrigin;
  response.writeHead(200, allowedOrigin === undefined || crossOrigin ? headers : withoutOrigin);
  response.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write(`node:http listening on ${port}\n`));
