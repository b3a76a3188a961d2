// Which public names the built asyncio-ts runtime exports right now. The runtime is written in
// parallel with the harness, so a name may not exist yet: its rows then show "n/a (not built)".
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { RUNTIME_ENTRY } from "./impls.mjs";
import { runProcess } from "./process.mjs";

/**
 * Import the built entry point in a throwaway node process and list its exports.
 * @param {string} benchDir
 * @param {string} nodeCommand
 * @returns {Promise<{ built: boolean, exports: Set<string>, reason?: string }>}
 */
export async function detectExports(benchDir, nodeCommand) {
  const entry = resolve(benchDir, RUNTIME_ENTRY);
  if (!existsSync(entry)) return { built: false, exports: new Set(), reason: `${entry} missing` };
  const script =
    "const m = await import(process.argv[1]); console.log(JSON.stringify(Object.keys(m)));";
  const out = await runProcess(
    nodeCommand,
    ["--input-type=module", "-e", script, pathToFileURL(entry).href],
    { timeoutS: 60 },
  );
  if (out.code !== 0) {
    const reason =
      out.stderr
        .trim()
        .split("\n")
        .find((l) => /Error/.test(l)) ?? "import failed";
    return { built: false, exports: new Set(), reason };
  }
  return { built: true, exports: new Set(JSON.parse(out.stdout.trim().split("\n").at(-1))) };
}
