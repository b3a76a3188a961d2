import { floor, npmAnchor, subject } from "../../lib/impls.mjs";

/**
 * server: a hello-world route under load (autocannon in its own process, 64 keep-alive
 * connections, after a warm-up of a tenth of N), served by the node:http adapter of
 * @asyncio-ts/http and by its Fastify plugin (every request's handler a named task), against
 * bare node:http and bare Fastify. Wall time is the time to serve N requests; CPU time is the
 * server process's alone. Fastify comes from the root workspace (a devDependency of
 * packages/http), so it needs nothing installed in bench/.
 */
export default {
  name: "server",
  dir: "server",
  description: "N GETs of a hello-world route, 64 keep-alive connections (autocannon)",
  n: 50_000,
  expect: (n) => n,
  impls: [
    subject("asyncio-ts.mjs", ["run"], { label: "asyncio-ts startServer (node:http)" }),
    subject("asyncio-ts-fastify.mjs", ["run"], {
      id: "asyncio-ts-fastify",
      label: "asyncio-ts fastifyTasks plugin",
    }),
    floor("bare node:http", "floor.mjs"),
    npmAnchor("fastify", "fastify.mjs", { label: "bare Fastify 5", packages: [] }),
  ],
  targets: [
    { vs: "floor", kind: "within", factor: 1.1 },
    { subject: "asyncio-ts-fastify", vs: "fastify", kind: "within", factor: 1.1 },
  ],
};
