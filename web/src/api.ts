/** An error answer of the service: `{ statusCode, error, message, fields? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Each wrong field with its message, on a 400 for a form. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ApiAnswer<T> {
  body: T;
  headers: Headers;
}

/** Read defensively: anything may answer (a proxy's error page too), whatever the document says. */
interface ErrorBody {
  message?: unknown;
  fields?: unknown;
}

/** A JSON call to the service, with the admin token when one is given; an error answer throws ApiError. */
export async function callApi<T>(
  path: string,
  {
    method = 'GET',
    body,
    token,
    cache,
  }: { method?: string; body?: unknown; token?: string; cache?: RequestCache } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      cache,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The service cannot be reached');
  }
  const parsed = parseJson(await response.text());
  if (!response.ok) throw errorOf(response.status, parsed as ErrorBody | undefined);
  return { body: parsed as T, headers: response.headers };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(status: number, body: ErrorBody | undefined): ApiError {
  const message = typeof body?.message === 'string' ? body.message : `The service answered ${status}`;
  const fields = isStringRecord(body?.fields) ? body.fields : {};
  return new ApiError(status, message, fields);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
