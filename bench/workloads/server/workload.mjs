import { floor, npmAnchor, subject } from "../../lib/impls.mjs";

/**
 * server: a hello-world route under load (wrk, one thread, 64 keep-alive connections, after a
 * warm-up of a tenth of N; autocannon when wrk is missing), served by the node:http adapter of
 * @asyncio-ts/http and by its Fastify plugin (every request's handler a named task), against
 * bare node:http and bare Fastify. Wall time is the time until the server has answered N
 * requests (it is the bottleneck: wrk outruns one Node process); CPU time is the server's
 * alone. Fastify comes from the root workspace (a devDependency of packages/http), so it needs
 * nothing installed in bench/.
 */
export default {
  name: "server",
  dir: "server",
  description: "N GETs of a hello-world route, 64 keep-alive connections (wrk)",
  n: 50_000,
  /**
   * 15 runs per row unless --runs says otherwise: single runs of the same server script spread
   * from 0.6x to 1.4x of each other on these shared VMs (wrk and the server compete with the
   * host for two cores), so medians of 5 moved the ratios by 10% between harness runs.
   */
  runs: 15,
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
