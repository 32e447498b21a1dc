import type { FastifyError } from 'fastify';

export interface FieldProblem {
  /** Dotted path of the offending field ("address.postcode"), or "" for the whole body. */
  field: string;
  message: string;
}

/**
 * An error meant for the client: its message is shown as is (in problem+json `detail` or on the
 * error page), so it must be clear and must not leak internals.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId: string;
  errors?: FieldProblem[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fieldOf(e: AjvError): string {
  const base = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = (e.params.missingProperty ?? e.params.additionalProperty) as string | undefined;
  return extra ? (base ? `${base}.${extra}` : extra) : base;
}

function describe(e: AjvError): string {
  if (e.keyword === 'additionalProperties') return 'unknown field';
  if (e.keyword === 'required') return 'is required';
  return e.message ?? 'is invalid';
}

/** Fastify's own errors, reworded so that a developer calling the API knows what to fix. */
function translateFastifyError(err: FastifyError, contentType: string): HttpError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'body.invalid-json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, 'body.empty', 'The request body is empty but its Content-Type says JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'body.too-large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'body.unsupported-type', `Content-Type "${contentType}" is not accepted here; send application/json.`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(400, 'body.invalid-length', 'Content-Length does not match the body.');
    default:
      return undefined;
  }
}

/** Turns any thrown error into what the client is told. Unknown errors become a bare 500. */
export function toHttpError(err: unknown, contentType = ''): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e?.validation) {
    const fields = e.validation.map((v) => ({ field: fieldOf(v), message: describe(v) }));
    const where = e.validationContext === 'body' ? 'body' : (e.validationContext ?? 'request');
    const list = fields.map((f) => (f.field ? `${f.field} ${f.message}` : f.message)).join('; ');
    return new HttpError(400, 'validation', `Invalid ${where}: ${list}.`, fields);
  }
  const translated = e?.code ? translateFastifyError(e, contentType) : undefined;
  if (translated) return translated;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return new HttpError(status, e.code || `http.${status}`, e.message);
  return new HttpError(status >= 500 && status < 600 ? status : 500, 'internal', 'An unexpected error occurred.');
}

export function toProblem(error: HttpError, requestId: string, instance: string): Problem {
  return {
    type: `https://civitas.dev/problems/${error.code}`,
    title: TITLES[error.statusCode] ?? 'Error',
    status: error.statusCode,
    detail: error.message,
    code: error.code,
    instance,
    requestId,
    ...(error.fields.length ? { errors: error.fields } : {}),
  };
}
