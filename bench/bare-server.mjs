// The reference: a bare Fastify hello-world on the same machine, Node and Fastify version as Civitas.
// The benchmark compares each Civitas scenario with this route, measured right before it.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const port = Number(process.env.PORT ?? 0);
const address = await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
process.stdout.write(`bare server listening at ${address}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    app.close().then(() => process.exit(0));
  });
}
