/** Bad input: one line naming the problem, exit 2, and no existing file touched. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { AIO, runAio, tempDir } from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);

function snapshot(dir: string) {
  return readdirSync(dir)
    .sort()
    .map((f) => {
      const p = join(dir, f);
      const st = statSync(p);
      return st.isDirectory()
        ? `${f}/`
        : `${f} ${st.mtimeMs} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
    });
}

async function expectUsage(args: string[], pattern: RegExp, cwd?: string) {
  const r = await runAio(args, { cwd });
  assert.equal(r.code, 2, `exit code for ${args.join(" ")}; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${r.stderr}`);
  assert.match(lines[0]!, /^aio: /);
  assert.match(lines[0]!, pattern);
  assert.equal(r.stdout, "");
}

describe("aio bad usage exits 2 with one line naming the problem", () => {
  it("an invalid start URL", async () => {
    const dir = join(tmp.dir, "invalid-url");
    mkdirSync(dir);
    await expectUsage(["crawl", "not-a-url", "--db", "x.db"], /invalid start URL 'not-a-url'/, dir);
    await expectUsage(
      ["crawl", "ftp://example.com/", "--db", "x.db"],
      /invalid start URL 'ftp:\/\/example.com\/'/,
      dir,
    );
    assert.deepEqual(readdirSync(dir), [], "no store created");
  });

  it("an unknown option, a bad number, a bad scope, an unknown command", async () => {
    const u = "http://127.0.0.1:9/";
    const cases: [string[], RegExp][] = [
      [["crawl", u, "--frobnicate"], /unknown option '--frobnicate'/],
      [["crawl", u, "--max-pages", "many"], /--max-pages expects an integer >= 1, got 'many'/],
      [
        ["crawl", u, "--scope", "galaxy"],
        /--scope expects same-origin, same-site, any; got 'galaxy'/,
      ],
      [["crawl", u, "--timeout", "0"], /--timeout expects a number > 0 and <= 2147483, got '0'/],
      // A longer timer fires at once in Node: every request timed out after 1 ms.
      [["fetch", "-", "--timeout", "3000000"], /--timeout expects a number > 0 and <= 2147483/],
      [["crawl", u, "--max-size", "lots"], /--max-size expects a size in bytes/],
      [
        ["crawl", u, "--max-crawl-delay", "-1"],
        /^aio: --max-crawl-delay expects a number >= 0, got '-1'$/,
      ],
      [
        ["fetch", "-", "--max-crawl-delay=soon"],
        /--max-crawl-delay expects a number >= 0, got 'soon'$/,
      ],
      [["launch"], /unknown command 'launch'/],
      [["help", "launch"], /^aio: no help for 'launch': unknown command \(expected crawl, /],
      [["export", "--format", "xml", "--db", "x.db"], /--format expects jsonl or csv, got 'xml'/],
      [["fetch"], /fetch expects one <file\|-> argument, got none/],
      [
        ["crawl", u, "--user-agent", " "],
        /^aio: --user-agent expects a non-empty header value without control characters, got " "$/,
      ],
      [["fetch", "-", "--user-agent=a\nb"], /--user-agent expects .*, got "a\\nb"$/],
    ];
    await Promise.all(cases.map(([args, pattern]) => expectUsage(args, pattern)));
  });

  it("an unwritable --db", async () => {
    await Promise.all([
      expectUsage(
        ["crawl", "http://127.0.0.1:9/", "--db", join(tmp.dir, "missing", "c.db")],
        /not writable: directory .* does not exist/,
      ),
      expectUsage(["crawl", "http://127.0.0.1:9/", "--db", tmp.dir], /is a directory/),
    ]);
    assert.equal(existsSync(join(tmp.dir, "missing")), false);
  });

  it("a --db that is not a crawl store is left exactly as it was", async () => {
    const dir = join(tmp.dir, "foreign");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.db"), "my precious notes\n");
    const other = new Database(join(dir, "app.db"));
    other.exec(
      "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance REAL); INSERT INTO accounts (balance) VALUES (42);",
    );
    other.close();
    const before = snapshot(dir);
    const cases: [string[], RegExp][] = [
      [
        ["crawl", "http://127.0.0.1:9/", "--db", join(dir, "notes.db")],
        /is not a crawl store \(not an SQLite database\)/,
      ],
      [
        ["crawl", "http://127.0.0.1:9/", "--db", join(dir, "app.db")],
        /SQLite database but not a crawl store/,
      ],
      [["crawl", "--demo", "--db", join(dir, "app.db")], /not a crawl store/],
      [["export", "--db", join(dir, "app.db")], /not a crawl store/],
      [
        ["export", "--db", join(dir, "absent.db")],
        /--db .*absent\.db cannot be opened for reading: the database file does not exist/,
      ],
    ];
    await Promise.all(cases.map(([args, pattern]) => expectUsage(args, pattern)));
    assert.deepEqual(snapshot(dir), before, "no file changed, none created (no -wal, no -shm)");
  });

  it("negative numbers given as a separate argument name the flag, the range and the value", async () => {
    const u = "http://127.0.0.1:9/";
    const cases: [string[], RegExp][] = [
      [["crawl", u, "--max-pages", "-5"], /^aio: --max-pages expects an integer >= 1, got '-5'$/],
      [
        ["crawl", u, "--timeout", "-1"],
        /^aio: --timeout expects a number > 0 and <= 2147483, got '-1'$/,
      ],
      [["crawl", u, "--rate", "-0.5"], /^aio: --rate expects a number >= 0, got '-0.5'$/],
      [["crawl", u, "--retries", "-1"], /^aio: --retries expects an integer >= 0, got '-1'$/],
      [["fetch", "-", "--concurrency", "-3"], /--concurrency expects an integer >= 1, got '-3'/],
      [["demo-site", "--port", "-1"], /^aio: --port expects an integer >= 0, got '-1'$/],
      [["crawl", u, "--max-pages=-5"], /--max-pages expects an integer >= 1, got '-5'/],
      [
        ["crawl", u, "--db", "--json"],
        /^aio: --db expects a value, got the option '--json' \(write --db=--json if that is the value\)$/,
      ],
    ];
    await Promise.all(cases.map(([args, pattern]) => expectUsage(args, pattern)));
  });

  it("demo-site on a port in use names the port instead of crashing with a stack", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      await expectUsage(
        ["demo-site", "--port", String(port)],
        new RegExp(
          `^aio: --port ${port} is not available: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}$`,
        ),
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("export of a missing database says so and creates nothing", async () => {
    const missingDir = join(tmp.dir, "no-such-dir", "x.db");
    await expectUsage(
      ["export", "--db", missingDir],
      /^aio: --db .*x\.db cannot be opened for reading: the database file does not exist$/,
    );
    assert.equal(existsSync(join(tmp.dir, "no-such-dir")), false);
    const dir = join(tmp.dir, "empty-export");
    mkdirSync(dir);
    writeFileSync(join(dir, "empty.db"), "");
    await expectUsage(
      ["export", "--db", "empty.db"],
      /^aio: --db empty\.db is an empty file, not a crawl store$/,
      dir,
    );
    await expectUsage(
      ["export", "--db", "absent.db"],
      /absent\.db cannot be opened for reading/,
      dir,
    );
    assert.deepEqual(readdirSync(dir), ["empty.db"], "no database created");
  });

  it("before the build, the bin says to build instead of printing a module-resolution stack", async () => {
    const dir = join(tmp.dir, "unbuilt");
    mkdirSync(join(dir, "bin"), { recursive: true });
    copyFileSync(AIO, join(dir, "bin", "aio.js")); // no ../dist next to it, as after npm install
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(dir, "bin", "aio.js"), "--help"], (err, _out, stderr) =>
        resolve({ code: err ? (err.code as number) : 0, stderr }),
      );
    });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "aio: the crawler is not built yet: run 'npm run build' (or 'npm start') at the repository root first\n",
    );
  });

  it("an AIO_TRACE file that cannot be opened is named, before any store is created", async () => {
    const dir = join(tmp.dir, "trace");
    mkdirSync(dir);
    const trace = join(dir, "missing", "trace.jsonl");
    for (const args of [
      ["crawl", "http://127.0.0.1:9/", "--db", "x.db"],
      ["fetch", "-"],
    ]) {
      const r = await runAio(args, {
        cwd: dir,
        env: { AIO_TRACE: trace },
        input: "http://127.0.0.1:9/\n",
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^aio: AIO_TRACE=.*trace\.jsonl cannot be opened for appending: ENOENT: no such file or directory/,
      );
      assert.equal(r.stderr.split("\n").length, 2, "one line");
    }
    assert.deepEqual(readdirSync(dir), [], "no store created");
  });

  it("no command at all: the usage on stderr, exit 2", async () => {
    const r = await runAio([]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^aio: a polite, resumable/);
    assert.match(r.stderr, /aio crawl <url\.\.\.>/);
    assert.match(
      r.stderr,
      /\naio: missing command \(expected crawl, fetch, export or demo-site\)\n$/,
    );
  });

  it("crawl without URLs and without a store to resume", async () => {
    const dir = join(tmp.dir, "nothing");
    mkdirSync(dir);
    await expectUsage(["crawl"], /crawl needs at least one start URL/, dir);
    assert.deepEqual(readdirSync(dir), []);
  });

  it("fetch with an invalid line names the line", async () => {
    const r = await runAio(["fetch", "-"], { input: "http://127.0.0.1:9/\n# comment\nnope\n" });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "aio: invalid URL 'nope' on line 3 of stdin\n");
  });

  it("help exits 0", async () => {
    for (const args of [["--help"], ["help"], ["-h"]]) {
      const r = await runAio(args);
      assert.equal(r.code, 0, args[0]);
      assert.match(r.stdout, /aio crawl <url\.\.\.>/);
      assert.equal(r.stderr, "");
    }
    const c = await runAio(["crawl", "--help"]);
    assert.match(c.stdout, /--per-host <n>/);
    const topic = await runAio(["help", "demo-site"]);
    assert.equal(topic.code, 0);
    assert.match(topic.stdout, /^Usage: aio demo-site /);
  });
});

describe("aio --help and docs/crawler.md agree", () => {
  const doc = readFileSync(new URL("../../../../docs/crawler.md", import.meta.url), "utf8");
  const flags = (text: string) => [...new Set(text.match(/--[a-z][a-z-]+/g) ?? [])].sort();

  it("every option of the docs' table is in 'aio crawl --help', and nothing else but --demo", async () => {
    const rows = doc.split("\n").filter((line) => line.startsWith("| `--"));
    const documented = rows.map((row) => /`(--[a-z-]+)/.exec(row)![1]!);
    const help = (await runAio(["crawl", "--help"])).stdout;
    const listed = flags(
      help
        .split("\n")
        .filter((line) => /^\s+--/.test(line))
        .join("\n"),
    );
    assert.deepEqual(listed, [...documented, "--demo"].sort());
  });

  it("every option the docs' command table shows is in 'aio --help' and in the command's help", async () => {
    const rows = doc.split("\n").filter((line) => line.startsWith("| `aio "));
    const main = (await runAio(["--help"])).stdout;
    for (const row of rows) {
      const usage = /^\| `([^`]+)`/.exec(row)![1]!.replace(/\\\|/g, "|");
      const command = usage.split(" ")[1]!;
      const help = (await runAio([command, "--help"])).stdout;
      for (const flag of flags(usage)) {
        assert.ok(help.includes(flag), `'aio ${command} --help' shows ${flag}`);
        assert.ok(main.includes(flag), `'aio --help' shows ${flag} (${usage})`);
      }
    }
  });
});
