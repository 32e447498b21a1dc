import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const common: Options = { removeAdditional: false, allErrors: true, useDefaults: true, strict: false };

/**
 * A validator compiled on its first use: compiling every route's schemas (and, for each Ajv
 * instance, its meta-schema) was a good part of the start-up time, for routes most processes never
 * serve. Fastify reads `schemaEnv` (to let Ajv coerce a root value) before each call and `errors`
 * after a failed one: both getters compile first.
 */
function lazyValidator(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const get = () => {
    compiled ??= compile();
    return compiled;
  };
  const validate = ((data: unknown, context?: unknown) =>
    (get() as (d: unknown, c?: unknown) => boolean)(data, context)) as ValidateFunction;
  Object.defineProperty(validate, 'schemaEnv', { get: () => get().schemaEnv });
  Object.defineProperty(validate, 'errors', { get: () => get().errors, set: (errors) => (get().errors = errors) });
  return validate;
}

/**
 * JSON bodies are validated as sent (a number is not a string), while path and query strings,
 * which are always text, are coerced to the types their schema declares.
 */
export function installValidators(app: FastifyInstance): void {
  const strict = new Ajv({ ...common, coerceTypes: false });
  const coercing = new Ajv({ ...common, coerceTypes: 'array' });
  for (const ajv of [strict, coercing]) addFormats.default(ajv);
  app.setValidatorCompiler(({ schema, httpPart }) => lazyValidator(() => (httpPart === 'body' ? strict : coercing).compile(schema)));
}
