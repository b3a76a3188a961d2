// Every workload the harness knows, in the order of the default run.
import crawl from "./crawl/workload.mjs";
import { tinyCalls as executor, cpuCalls as executorCpu } from "./executor/workload.mjs";
import http from "./http/workload.mjs";
import lock from "./lock/workload.mjs";
import queue from "./queue/workload.mjs";
import semaphore from "./semaphore/workload.mjs";
import server from "./server/workload.mjs";
import sleep from "./sleep/workload.mjs";
import spawn from "./spawn/workload.mjs";
import { concurrent as timeout, sequential as timeoutSeq } from "./timeout/workload.mjs";

/** All workloads by name, in run order. */
export const workloads = [
  spawn,
  sleep,
  timeout,
  timeoutSeq,
  semaphore,
  lock,
  queue,
  executor,
  executorCpu,
  http,
  server,
  crawl,
];
