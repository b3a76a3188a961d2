// Child processes of the harness. Every workload runs in a fresh process of its own process
// group, so a timeout or an interrupt can kill it with everything it started; the harness keeps
// the set of live groups and kills them on exit, so it never leaves a process behind.
import { spawn } from "node:child_process";

const live = new Set();

function killGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone (ESRCH): nothing to clean up.
  }
}

function killAll() {
  for (const pid of live) killGroup(pid);
  live.clear();
}

process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    killAll();
    process.stderr.write(`\nbench: interrupted by ${signal}; child processes killed\n`);
    process.exit(130);
  });
}

/**
 * Run a command to completion (or until `timeoutS`), capturing its output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, timeoutS: number, maxOutput?: number }} options
 * @returns {Promise<{ code: number | null, signal: string | null, timedOut: boolean, stdout: string, stderr: string }>}
 */
export function runProcess(command, args, options) {
  const maxOutput = options.maxOutput ?? 1 << 20;
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const keep = (text, chunk) => (text.length < maxOutput ? text + chunk : text);
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout = keep(stdout, chunk)));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr = keep(stderr, chunk)));
    if (child.pid !== undefined) live.add(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutS * 1000);
    let settled = false;
    const finish = (code, signal, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.pid !== undefined) {
        // The workload is done; anything it left in its group goes with it.
        killGroup(child.pid);
        live.delete(child.pid);
      }
      resolve({
        code,
        signal,
        timedOut,
        stdout,
        stderr: error ? `${error.message}\n${stderr}` : stderr,
      });
    };
    child.on("error", (error) => finish(null, null, error));
    child.on("close", (code, signal) => finish(code, signal, undefined));
  });
}
