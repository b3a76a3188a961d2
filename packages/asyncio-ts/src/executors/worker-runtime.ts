/**
 * The worker side of the executor protocol, shared by the thread and process entry scripts:
 * find the function (compile its source once, or import its module once), call it, and send
 * exactly one reply. Nothing here touches the event loop; a worker runs plain JavaScript.
 * @module
 */
import type { TransferListItem } from "node:worker_threads";
import { lostClass, lostClassError } from "./class-check.js";
import { exportedFunction } from "./module-function.js";
import type { FunctionSpec } from "./source-function.js";
import { unwrapValue } from "./transfer.js";
import {
  type CallMessage,
  type ReplyMessage,
  resultCloneError,
  serializeError,
} from "./worker-protocol.js";

type AnyFunction = (...args: unknown[]) => unknown;

/** How a worker sends a reply; throws (like `postMessage`) when the value cannot be cloned. */
export type SendReply = (reply: ReplyMessage, transfer: readonly TransferListItem[]) => void;

/**
 * Runs calls inside a worker. Compiled sources and imported modules are cached, so a pool that
 * calls the same function many times pays for compilation once per worker.
 */
export class CallRunner {
  /** Every spec this worker was sent, by id (the pool sends each one once per worker). */
  readonly #specs = new Map<number, FunctionSpec>();
  // Invariant: maps a spec id to the function it names, never to a failure (a module that
  // failed to import is imported again on the next call, so it can be fixed and retried).
  readonly #functions = new Map<number, AnyFunction>();

  constructor(private readonly send: SendReply) {}

  /** Handles one call message; the reply is sent synchronously when the function is. */
  run(msg: CallMessage): void {
    const fn = this.#functions.get(msg.spec);
    if (fn !== undefined) {
      this.#invoke(fn, msg);
      return;
    }
    if (msg.fn !== undefined) this.#specs.set(msg.spec, msg.fn);
    const spec = this.#specs.get(msg.spec);
    if (spec === undefined) {
      this.#fail(msg, new Error(`asyncio-ts worker: unknown function id ${msg.spec}`));
    } else if (spec.kind === "source") {
      let compiled: AnyFunction;
      try {
        compiled = compile(spec);
      } catch (e) {
        this.#fail(msg, e);
        return;
      }
      this.#functions.set(msg.spec, compiled);
      this.#invoke(compiled, msg);
    } else {
      import(spec.href).then(
        (ns: Record<string, unknown>) => {
          let imported: AnyFunction;
          try {
            imported = exportedFunction(ns, spec);
          } catch (e) {
            this.#fail(msg, e);
            return;
          }
          this.#functions.set(msg.spec, imported);
          this.#invoke(imported, msg);
        },
        (e: unknown) => this.#fail(msg, e),
      );
    }
  }

  #invoke(fn: AnyFunction, msg: CallMessage): void {
    if (msg.batch) {
      runBatch(fn, msg.args as unknown[][]).then(
        (values) => this.#succeed(msg, values),
        (e: unknown) => this.#fail(msg, e),
      );
      return;
    }
    let value: unknown;
    try {
      value = fn(...msg.args);
    } catch (e) {
      this.#fail(msg, e);
      return;
    }
    if (isThenable(value)) {
      value.then(
        (v) => this.#succeed(msg, v),
        (e: unknown) => this.#fail(msg, e),
      );
    } else {
      this.#succeed(msg, value);
    }
  }

  #succeed(msg: CallMessage, result: unknown): void {
    const { value, transfer } = unwrapValue(result);
    const lost = lostClass(value, "the result");
    if (lost !== undefined) {
      this.#fail(msg, lostClassError(this.#specs.get(msg.spec)?.name ?? "", "result", lost));
      return;
    }
    try {
      this.send({ id: msg.id, ok: true, value }, transfer);
    } catch (e) {
      const where = lostClass(value, "the result", transfer);
      this.#fail(msg, resultCloneError(this.#specs.get(msg.spec)?.name ?? "", e, where));
    }
  }

  #fail(msg: CallMessage, error: unknown): void {
    this.send({ id: msg.id, ok: false, error: serializeError(error) }, []);
  }
}

async function runBatch(fn: AnyFunction, argLists: unknown[][]): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const args of argLists) values.push(await fn(...args));
  return values;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === "object" || typeof v === "function") &&
    v !== null &&
    typeof (v as PromiseLike<unknown>).then === "function"
  );
}

/**
 * Compiles a function's source in an empty scope. Strict mode matches the ES module the source
 * came from; the line break before `)` keeps a trailing `// comment` from swallowing it.
 */
function compile(spec: Extract<FunctionSpec, { kind: "source" }>): AnyFunction {
  let fn: unknown;
  try {
    fn = new Function(`"use strict";\nreturn (${spec.source}\n);`)();
  } catch (e) {
    const what = spec.name ? `function "${spec.name}"` : "the function";
    throw new SyntaxError(`cannot compile ${what} in the worker: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (typeof fn !== "function") throw new TypeError("the source did not evaluate to a function");
  return fn as AnyFunction;
}
