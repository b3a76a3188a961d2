/**
 * The Node options a `ProcessPoolExecutor` worker is started with.
 *
 * `child_process.fork` passes the parent's `process.execArgv` to the child by default, which is
 * right for runtime options (`--max-old-space-size`, `--import tsx`, `--conditions`, ...) but
 * wrong for options about the parent's own entry point or debugger: a parent started with
 * `node --input-type=module -e "..."` made every worker fail at start
 * (ERR_INPUT_TYPE_NOT_ALLOWED, so every call was a BrokenExecutorError), `--eval=...` would run
 * the parent's script again in each worker, `--inspect-brk` would stop each worker at its
 * first line waiting for a debugger (the call never ends), and `--inspect=9229` would make each
 * worker fight the parent for its port. Python's multiprocessing likewise passes interpreter
 * flags, not `-c`, to its workers.
 * @module
 */

/** Options that take the next argument as their value when not written `--opt=value`. */
const WITH_VALUE = new Set([
  "-e",
  "--eval",
  "-p",
  "--print",
  "-pe",
  "-ep",
  "--input-type",
  "--inspect-port",
  "--debug-port",
  "--watch-path",
]);

/** Options (with or without `=value`) about the parent's entry point or its debugger. */
const DROPPED = new Set([
  ...WITH_VALUE,
  "-i",
  "--interactive",
  "-c",
  "--check",
  "--test",
  "--watch",
  "--watch-preserve-output",
  "--inspect",
  "--inspect-brk",
  "--inspect-wait",
]);

/**
 * `execArgv` without the parent's entry-point and inspector options (see the module notes);
 * every other option is kept, in order.
 * @example
 * ```ts
 * workerExecArgv(["--input-type=module", "-e", "code", "--max-old-space-size=64"]); // ["--max-old-space-size=64"]
 * ```
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (!DROPPED.has(name)) kept.push(arg);
    else if (name === arg && WITH_VALUE.has(arg)) i++; // its value is the next argument
  }
  return kept;
}
