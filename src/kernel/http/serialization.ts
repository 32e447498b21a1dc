import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyInstance } from 'fastify';

type Factory = SerializerSelector.SerializerFactory;
type Serializer = SerializerSelector.Serializer;

const compilersOf = new WeakMap<FastifyInstance, () => number>();

/**
 * Response serializers compiled on first use, as validators are (validation.ts): Fastify compiles
 * every route's response schemas while it registers the routes, which was an eighth of the CPU of a
 * cold start, for routes most processes never serve. `compileAll` compiles the rest, for a test to
 * prove every schema compiles.
 */
export function lazySerializers(): { factory: Factory; compileAll: () => number } {
  const build = SerializerSelector();
  const pending: Array<() => Serializer> = [];
  const factory: Factory = (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let serialize: Serializer | undefined;
      const get = () => {
        serialize ??= compile(route);
        return serialize;
      };
      pending.push(get);
      return (doc) => get()(doc);
    };
  };
  const compileAll = () => {
    for (const get of pending) get();
    return pending.length;
  };
  return { factory, compileAll };
}

export function rememberSerializers(app: FastifyInstance, compileAll: () => number): void {
  compilersOf.set(app, compileAll);
}

/** Compiles every response serializer of an app built by `buildHttp` (tests); how many there are. */
export function compileAllSerializers(app: FastifyInstance): number {
  return compilersOf.get(app)?.() ?? 0;
}
