import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino';

/**
 * The request's logger, bound to its request id, but made only when the request logs something:
 * most requests log nothing of their own (their one line is written by the app's onResponse hook),
 * and a pino child per request was a measurable part of a small route's cost.
 */
class LazyChildLogger {
  #child: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}
  get #logger(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }
  get level(): LevelWithSilentOrString {
    return this.#logger.level;
  }
  set level(level: LevelWithSilentOrString) {
    this.#logger.level = level;
  }
  info(...args: Parameters<FastifyBaseLogger['info']>) {
    this.#logger.info(...args);
  }
  error(...args: Parameters<FastifyBaseLogger['error']>) {
    this.#logger.error(...args);
  }
  warn(...args: Parameters<FastifyBaseLogger['warn']>) {
    this.#logger.warn(...args);
  }
  debug(...args: Parameters<FastifyBaseLogger['debug']>) {
    this.#logger.debug(...args);
  }
  trace(...args: Parameters<FastifyBaseLogger['trace']>) {
    this.#logger.trace(...args);
  }
  fatal(...args: Parameters<FastifyBaseLogger['fatal']>) {
    this.#logger.fatal(...args);
  }
  silent(...args: Parameters<FastifyBaseLogger['silent']>) {
    this.#logger.silent(...args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger.child(bindings, options);
  }
}

export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
