/**
 * `aio`: the command line. {@link main} maps every outcome to an exit code: 0 done, 1 done but
 * some pages failed, 2 bad usage (one line naming the bad argument), 130 interrupted.
 */
import { readFileSync } from "node:fs";
import { type Args, parseCommandLine, UsageError } from "./args.js";
import type { Io } from "./crawl-command.js";
import { Output, writeOnce } from "./output.js";
import { StoreError } from "./store-open.js";

// The commands are imported when run, so `aio --help` and bad usage answer without loading
// the HTTP client, the parser and the runtime.
const EXIT = { done: 0, usage: 2 } as const;

const HELP: Record<string, string> = {
  main: `aio: a polite, resumable, concurrent web crawler built on asyncio-ts

Usage:
  aio crawl <url...> [options]     crawl from the start URLs, following links (resumes on the same --db)
  aio crawl --demo                 start the built-in demo site on loopback and crawl it
  aio fetch <file|->               fetch a list of URLs (one per line), JSON lines on stdout
  aio export --db <file> [--format jsonl|csv]
  aio demo-site [--pages N] [--port P] [--crawl-delay S]

Run 'aio <command> --help' for the options of a command.
Exit codes: 0 done, 1 some pages failed, 2 bad usage, 130 interrupted.
`,
  crawl: `Usage: aio crawl <url...> [options]   |   aio crawl --demo

  --db <file>            SQLite store (default crawl.db; demo.db with --demo). Re-running on the
                         same store resumes: nothing fetched is fetched again, nothing queued is lost.
  --max-pages <n>        pages stored in total (default 10000)
  --max-depth <n>        link distance from a start URL (default 20)
  --concurrency <n>      requests in flight in total (default 16)
  --per-host <n>         requests in flight per host (default 4)
  --rate <n>             requests per second per host (default: no limit besides Crawl-delay)
  --scope <s>            same-origin (default) | same-site | any
  --no-robots            ignore robots.txt (obeyed by default, including Crawl-delay)
  --max-crawl-delay <s>  longest robots.txt Crawl-delay obeyed (default 30); a host asking for
                         more is skipped, not crawled faster: its pages are stored as blocked
  --timeout <s>          seconds per request (default 30)
  --max-size <bytes>     largest response read (default 10M; k/M/G suffixes)
  --retries <n>          retries after 408, 429, 500, 502-504 and network errors (default 2)
  --user-agent <s>       User-Agent header (robots.txt groups match its first token)
  --json                 print the final summary as JSON on stdout
  --demo                 crawl the built-in demo site (starts fresh every time)
`,
  fetch: `Usage: aio fetch <file|-> [options]

Fetches every URL of the list once (redirects followed, links not), politely and concurrently,
and prints one JSON object per URL on stdout. Options: --concurrency, --per-host, --rate,
--no-robots, --max-crawl-delay, --timeout, --max-size, --retries, --user-agent (see
'aio crawl --help').
`,
  export: `Usage: aio export --db <file> [--format jsonl|csv]

Writes every stored page (url, status, title, depth, error, fetched_at, outcome, ...) to stdout,
as JSON lines (default, exact values) or CSV. In CSV, text starting with =, +, -, @, a tab or a
carriage return gets a leading ' so that spreadsheets do not run it as a formula.
`,
  "demo-site": `Usage: aio demo-site [--pages N] [--port P] [--crawl-delay S]

Serves the deterministic demo site on 127.0.0.1 until Ctrl-C (default 40 pages, any free port,
Crawl-delay 0.05 s).
`,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

async function demoSiteCommand(
  args: Extract<Args, { command: "demo-site" }>,
  io: Io,
): Promise<number> {
  const { startDemoSite } = await import("./demo-site.js");
  let site: Awaited<ReturnType<typeof startDemoSite>>;
  try {
    site = await startDemoSite({ pages: args.pages, port: args.port, crawlDelay: args.crawlDelay });
  } catch (err) {
    // A port in use (or reserved) is the user's choice to change, not a crash with a stack.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      throw new UsageError(`--port ${args.port} is not available: ${(err as Error).message}`);
    }
    throw err;
  }
  writeOnce(io.stdout, `demo site: ${site.url} (${args.pages} pages; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await site.close();
  return EXIT.done;
}

/**
 * Runs `aio` with `argv` (without node and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * import { main } from "@asyncio-ts/crawler";
 *
 * process.exitCode = await main(["crawl", "--demo"]);
 * ```
 */
export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // stderr's reader may leave too (`aio crawl ... 2>&1 | head -1`): progress lines then go
  // nowhere, and the command goes on (stdout's reader leaving is handled by each command).
  const stderr = new Output(io.stderr);
  try {
    const args = parseCommandLine(argv);
    switch (args.command) {
      case "help":
        writeOnce(io.stdout, HELP[args.topic ?? "main"] ?? HELP.main!);
        return EXIT.done;
      case "version":
        writeOnce(io.stdout, `aio ${version()}\n`);
        return EXIT.done;
      case "crawl":
        return await (await import("./crawl-command.js")).crawlCommand(args, io);
      case "fetch":
        return await (await import("./crawl-command.js")).fetchCommand(args, io);
      case "export":
        await (await import("./export.js")).exportPages(args.db, args.format, io.stdout);
        return EXIT.done;
      case "demo-site":
        return await demoSiteCommand(args, io);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof StoreError) {
      const usage = err instanceof UsageError && err.showUsage ? `${HELP.main}\n` : "";
      stderr.write(`${usage}aio: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    stderr.release();
  }
}
