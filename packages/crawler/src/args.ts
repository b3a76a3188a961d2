/**
 * Command-line parsing for `aio` (node:util parseArgs, strict). Every problem becomes a
 * {@link UsageError}: one line naming the bad argument, exit code 2.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { MAX_TIMER_SECONDS } from "@asyncio-ts/http";
import { normalizeUrl, SCOPES, type Scope } from "./url.js";

/**
 * Bad usage: the CLI prints `aio: <message>` (after the usage text when `showUsage`) on stderr
 * and exits 2.
 *
 * @example
 * ```ts
 * throw new UsageError("--max-pages expects an integer >= 1, got '-5'");
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
  /** Print the general usage before the message (e.g. `aio` run without a command). */
  readonly showUsage: boolean;
  constructor(message: string, options: { showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? false;
  }
}

/** Limits shared by `aio crawl` and `aio fetch`. Times in seconds, sizes in bytes. */
export interface Limits {
  concurrency: number;
  perHost: number;
  /** Requests per second per host; 0 = no limit besides robots.txt Crawl-delay. */
  rate: number;
  robots: boolean;
  timeout: number;
  maxSize: number;
  userAgent: string;
  /** Attempts per URL for 408/429/500/502-504 and network errors (first try included). */
  maxAttempts: number;
  /**
   * Longest robots.txt `Crawl-delay` obeyed, in seconds (`--max-crawl-delay`, default
   * {@link DEFAULT_MAX_CRAWL_DELAY}): a host asking for more is skipped, its pages stored as
   * `blocked` (`capCrawlDelay` says why it is not clamped).
   */
  maxCrawlDelay?: number;
}

/** `aio crawl` options. */
export interface CrawlArgs extends Limits {
  command: "crawl";
  urls: string[];
  db: string;
  dbGiven: boolean;
  maxPages: number;
  maxDepth: number;
  scope: Scope;
  json: boolean;
  demo: boolean;
}

/** `aio fetch` options. */
export interface FetchArgs extends Limits {
  command: "fetch";
  source: string;
}

/** `aio export` options. */
export interface ExportArgs {
  command: "export";
  db: string;
  format: "jsonl" | "csv";
}

/** `aio demo-site` options. */
export interface DemoSiteArgs {
  command: "demo-site";
  pages: number;
  port: number;
  crawlDelay: number;
}

/** `aio help` / `--help` / `--version`. */
export interface InfoArgs {
  command: "help" | "version";
  topic?: string;
}

/** A parsed `aio` command line: which command, with its options resolved to their values. */
export type Args = CrawlArgs | FetchArgs | ExportArgs | DemoSiteArgs | InfoArgs;

/**
 * The default identity; robots.txt groups are matched on its first token, `aio`.
 *
 * @example
 * ```ts
 * import { DEFAULT_USER_AGENT, HttpFetcher } from "@asyncio-ts/crawler";
 *
 * const options = { timeout: 30, maxSize: 10_000_000, userAgent: DEFAULT_USER_AGENT };
 * const fetcher = new HttpFetcher(options, 4, 16);
 * await fetcher.close();
 * ```
 */
export const DEFAULT_USER_AGENT = "aio/0.1 (+https://github.com/asyncio-ts/asyncio-ts)";

/**
 * Default cap on robots.txt `Crawl-delay`, in seconds (`--max-crawl-delay`): Nutch's
 * `fetcher.max.crawl.delay` default. Longer delays are rare and often a mistake (a value
 * meant in milliseconds), and at 30 s a host already gives 120 pages an hour.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_CRAWL_DELAY } from "@asyncio-ts/crawler";
 *
 * console.log(DEFAULT_MAX_CRAWL_DELAY); // 30
 * ```
 */
export const DEFAULT_MAX_CRAWL_DELAY = 30;

const LIMIT_OPTIONS = {
  concurrency: { type: "string" },
  "per-host": { type: "string" },
  rate: { type: "string" },
  "no-robots": { type: "boolean" },
  timeout: { type: "string" },
  "max-size": { type: "string" },
  "user-agent": { type: "string" },
  retries: { type: "string" },
  "max-crawl-delay": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const CRAWL_OPTIONS = {
  ...LIMIT_OPTIONS,
  db: { type: "string" },
  "max-pages": { type: "string" },
  "max-depth": { type: "string" },
  scope: { type: "string" },
  json: { type: "boolean" },
  demo: { type: "boolean" },
} as const;

type Values = Record<string, string | boolean | undefined>;

function integer(values: Values, name: string, fallback: number, min: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} expects an integer >= ${min}, got '${String(raw)}'`);
  }
  return n;
}

/**
 * The longest `--timeout`: the HTTP client arms Node timers, which cannot wait longer than
 * 2^31 - 1 ms (`@asyncio-ts/http` refuses longer timeouts rather than let them fire at once).
 */
const MAX_TIMEOUT = MAX_TIMER_SECONDS;

function seconds(
  values: Values,
  name: string,
  fallback: number,
  allowZero: boolean,
  max = Number.POSITIVE_INFINITY,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (
    typeof raw !== "string" ||
    raw.trim() === "" ||
    !Number.isFinite(n) ||
    n < 0 ||
    n > max ||
    (!allowZero && n === 0)
  ) {
    const upper = Number.isFinite(max) ? ` and <= ${max}` : "";
    throw new UsageError(
      `--${name} expects a number ${allowZero ? ">= 0" : "> 0"}${upper}, got '${String(raw)}'`,
    );
  }
  return n;
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function size(values: Values, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(String(raw).trim());
  const n = m ? Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]! : Number.NaN;
  if (!m || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(
      `--${name} expects a size in bytes (e.g. 5000000, 512k, 10M), got '${String(raw)}'`,
    );
  }
  return n;
}

/**
 * `--user-agent`: sent as a header and matched (its first token) against robots.txt groups, so
 * it must have a first token and be a valid header value; an empty or multi-line value would
 * otherwise fail every request, robots.txt included.
 */
function userAgent(values: Values): string {
  const raw = values["user-agent"];
  if (raw === undefined) return DEFAULT_USER_AGENT;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (typeof raw !== "string" || raw.trim() === "" || /[\x00-\x1f\x7f]/.test(raw)) {
    throw new UsageError(
      `--user-agent expects a non-empty header value without control characters, got ${JSON.stringify(raw)}`,
    );
  }
  return raw.trim();
}

function limits(values: Values): Limits {
  return {
    concurrency: integer(values, "concurrency", 16, 1),
    perHost: integer(values, "per-host", 4, 1),
    rate: seconds(values, "rate", 0, true),
    robots: values["no-robots"] !== true,
    timeout: seconds(values, "timeout", 30, false, MAX_TIMEOUT),
    maxSize: size(values, "max-size", 10 * 1024 * 1024),
    userAgent: userAgent(values),
    maxAttempts: integer(values, "retries", 2, 0) + 1,
    maxCrawlDelay: seconds(values, "max-crawl-delay", DEFAULT_MAX_CRAWL_DELAY, true),
  };
}

/**
 * parseArgs refuses a separate value starting with '-' (`--max-pages -5`) as "ambiguous",
 * without saying what was expected. A value that looks like a negative number is joined to its
 * option (`--max-pages=-5`), so the value checks report the flag, the range and the value; any
 * other dash value is most likely the next option after a forgotten value, and is reported so.
 * Arguments after `--` are left alone.
 */
function joinDashValues(argv: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      joined.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (
      name === undefined ||
      options[name]?.type !== "string" ||
      next === undefined ||
      next.length < 2 ||
      !next.startsWith("-")
    ) {
      joined.push(arg);
      continue;
    }
    if (!/^-\.?\d/.test(next)) {
      throw new UsageError(
        `--${name} expects a value, got the option '${next}' (write --${name}=${next} if that is the value)`,
      );
    }
    joined.push(`${arg}=${next}`);
    i++;
  }
  return joined;
}

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  const args = joinDashValues(argv, options);
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true as const });
  } catch (err) {
    // node's messages look like "Unknown option '--x'. To specify a positional ...": keep the
    // first sentence, which names the argument.
    const message = (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, "");
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
}

const COMMANDS: readonly string[] = ["crawl", "fetch", "export", "demo-site"];
const EXPECTED_COMMANDS = "expected crawl, fetch, export or demo-site";

/**
 * Parses `aio`'s arguments (without `node` and the script path).
 *
 * @example
 * ```ts
 * parseCommandLine(["crawl", "https://example.com/", "--max-pages", "100"]);
 * // { command: "crawl", urls: ["https://example.com/"], maxPages: 100, ... }
 * ```
 */
export function parseCommandLine(argv: string[]): Args {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      // No command is bad usage (exit 2), unlike an explicit `aio help`, which succeeds.
      throw new UsageError(`missing command (${EXPECTED_COMMANDS})`, {
        showUsage: true,
      });
    case "help":
    case "--help":
    case "-h": {
      const topic = rest[0];
      if (topic !== undefined && !COMMANDS.includes(topic)) {
        throw new UsageError(`no help for '${topic}': unknown command (${EXPECTED_COMMANDS})`);
      }
      return { command: "help", topic };
    }
    case "--version":
    case "version":
      return { command: "version" };
    case "crawl":
      return parseCrawl(rest);
    case "fetch": {
      const { values, positionals } = parse(rest, LIMIT_OPTIONS);
      if (values.help) return { command: "help", topic: "fetch" };
      if (positionals.length !== 1) {
        throw new UsageError(
          `fetch expects one <file|-> argument, got ${positionals.length === 0 ? "none" : `'${positionals.join(" ")}'`}`,
        );
      }
      return { command: "fetch", source: positionals[0]!, ...limits(values) };
    }
    case "export": {
      const { values, positionals } = parse(rest, {
        db: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      });
      if (values.help) return { command: "help", topic: "export" };
      if (positionals.length > 0)
        throw new UsageError(`export takes no positional argument, got '${positionals[0]}'`);
      if (values.db === undefined) throw new UsageError("export needs --db <file>");
      const format = values.format ?? "jsonl";
      if (format !== "jsonl" && format !== "csv") {
        throw new UsageError(`--format expects jsonl or csv, got '${format}'`);
      }
      return { command: "export", db: values.db, format };
    }
    case "demo-site": {
      const { values, positionals } = parse(rest, {
        pages: { type: "string" },
        port: { type: "string" },
        "crawl-delay": { type: "string" },
        help: { type: "boolean", short: "h" },
      });
      if (values.help) return { command: "help", topic: "demo-site" };
      if (positionals.length > 0)
        throw new UsageError(`demo-site takes no positional argument, got '${positionals[0]}'`);
      const port = integer(values, "port", 0, 0);
      if (port > 65535) throw new UsageError(`--port expects 0..65535, got '${port}'`);
      return {
        command: "demo-site",
        pages: integer(values, "pages", 40, 1),
        port,
        crawlDelay: seconds(values, "crawl-delay", 0.05, true),
      };
    }
    default:
      throw new UsageError(`unknown command '${command}' (${EXPECTED_COMMANDS})`);
  }
}

function parseCrawl(argv: string[]): CrawlArgs | InfoArgs {
  const { values, positionals } = parse(argv, CRAWL_OPTIONS);
  if (values.help) return { command: "help", topic: "crawl" };
  const urls: string[] = [];
  for (const raw of positionals) {
    const url = normalizeUrl(raw);
    if (url === undefined)
      throw new UsageError(`invalid start URL '${raw}' (expected an absolute http(s) URL)`);
    urls.push(url);
  }
  const demo = values.demo === true;
  if (demo && urls.length > 0)
    throw new UsageError("--demo crawls the demo site; do not also give start URLs");
  const scope = values.scope ?? "same-origin";
  if (!(SCOPES as readonly string[]).includes(scope)) {
    throw new UsageError(`--scope expects ${SCOPES.join(", ")}; got '${scope}'`);
  }
  if (values.db !== undefined && values.db.trim() === "")
    throw new UsageError("--db expects a file path, got ''");
  return {
    command: "crawl",
    urls,
    db: values.db ?? (demo ? "demo.db" : "crawl.db"),
    dbGiven: values.db !== undefined,
    maxPages: integer(values, "max-pages", 10_000, 1),
    maxDepth: integer(values, "max-depth", 20, 0),
    scope: scope as Scope,
    json: values.json === true,
    demo,
    ...limits(values),
  };
}
