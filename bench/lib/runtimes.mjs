// Finds the interpreters the workloads run on and what each offers: the machine's node, the
// node@24 binary from bench/node_modules, CPython 3.13 through pyenv, and Debian's python3 with
// uvloop. A missing interpreter or module is not an error: its rows are reported as "n/a".
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const PROBE_PY = [
  "import sys, json, importlib.util",
  "print(json.dumps({'version': sys.version.split()[0],",
  " 'executable': sys.executable,",
  " 'uvloop': importlib.util.find_spec('uvloop') is not None}))",
].join("\n");

function probe(command, args, env) {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function nodeRuntime(id, command) {
  const version = existsSync(command) ? probe(command, ["--version"]) : undefined;
  if (!version) return { id, kind: "node", available: false, label: id, reason: `no ${id} binary` };
  return { id, kind: "node", available: true, command, version, label: `node ${version.slice(1)}` };
}

function pythonInfo(command, env) {
  const out = probe(command, ["-c", PROBE_PY], env);
  return out ? JSON.parse(out.split("\n").at(-1)) : undefined;
}

/**
 * The first candidate interpreter whose version starts with `wantVersion` (any if undefined).
 * @param {string} id
 * @param {[string, Record<string, string>][]} candidates command and environment to try
 * @param {string | undefined} wantVersion
 */
function pythonRuntime(id, candidates, wantVersion) {
  const found = candidates.map(([command, env]) => pythonInfo(command, env)).filter(Boolean);
  const info = found.find((i) => !wantVersion || i.version.startsWith(wantVersion));
  if (!info) {
    const why = found.length > 0 ? `found ${found.map((i) => i.version).join(", ")}` : "not found";
    return { id, kind: "python", available: false, label: id, reason: `no ${id} (${why})` };
  }
  return {
    id,
    kind: "python",
    available: true,
    // The real interpreter, not a pyenv shim, so the measured process is the interpreter.
    command: info.executable,
    version: info.version,
    modules: { uvloop: info.uvloop },
    label: `CPython ${info.version}`,
  };
}

/**
 * Detect every runtime. Node runtimes come first; the first is the reference for ratios of
 * Python rows to the JavaScript floor.
 * @param {string} benchDir
 */
export function detectRuntimes(benchDir) {
  const machineNode = nodeRuntime("node", process.execPath);
  const node24 = nodeRuntime("node24", join(benchDir, "node_modules", "node", "bin", "node"));
  const nodes = [machineNode];
  if (!node24.available || node24.version !== machineNode.version) nodes.push(node24);
  if (node24.available && node24.version !== machineNode.version) {
    node24.label = `node ${node24.version.slice(1)}`;
  }
  return {
    nodes,
    python313: pythonRuntime(
      "cpython3.13",
      [
        ["python3", { PYENV_VERSION: "3.13.0" }],
        ["python3.13", {}],
      ],
      "3.13",
    ),
    pythonSystem: pythonRuntime("python3-debian", [["/usr/bin/python3", {}]], undefined),
  };
}
