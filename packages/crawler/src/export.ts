/**
 * `aio export`: the stored pages as JSON lines or CSV, streamed from SQLite with backpressure
 * (constant memory whatever the size of the store).
 */
import type { Writable } from "node:stream";
import { Output } from "./output.js";
import type { PageRecord } from "./store.js";
import { CrawlStore } from "./store.js";

/** Columns of the CSV export, in order (also the keys of each JSON line). */
export const EXPORT_COLUMNS = [
  "url",
  "status",
  "title",
  "depth",
  "error",
  "fetched_at",
  "outcome",
  "content_type",
  "bytes",
  "elapsed",
  "redirect_to",
  "canonical",
  "noindex",
  "attempts",
] as const satisfies readonly (keyof PageRecord)[];

/**
 * The first characters that make a spreadsheet (Excel, LibreOffice Calc, Google Sheets) read a
 * cell as a formula, or as the start of one: OWASP's "CSV Injection" list.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Formats one CSV field (RFC 4180 quoting when needed); null becomes an empty field.
 *
 * A string that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front
 * (OWASP's CSV Injection defence): the text fields come from the pages crawled (a title, a
 * content type, an error quoting the server), and a spreadsheet opening the export would
 * otherwise run `=HYPERLINK(...)` or `=cmd|...` as a formula. Numbers are never prefixed: a
 * number is not a formula, and `status`, `depth`, `bytes`... must stay numbers in the sheet.
 * JSON lines are not concerned (no program evaluates them), so they carry the exact text.
 *
 * @example
 * ```ts
 * csvField("=1+2");     // "'=1+2"
 * csvField("a, b");     // "\"a, b\""
 * csvField(-3);         // "-3"
 * csvField(null);       // ""
 * ```
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Formats one page as a line of the chosen format (with the newline). */
export function formatPage(page: PageRecord, format: "jsonl" | "csv"): string {
  if (format === "csv") return `${EXPORT_COLUMNS.map((c) => csvField(page[c])).join(",")}\r\n`;
  const row: Record<string, unknown> = {};
  for (const c of EXPORT_COLUMNS) row[c] = page[c];
  return `${JSON.stringify(row)}\n`;
}

/**
 * Writes every page of the store at `dbPath` to `out`; returns how many were written. In CSV,
 * text that a spreadsheet would take for a formula gets a leading `'` (see {@link csvField});
 * JSON lines carry the stored values unchanged.
 * The store is opened read-only and is refused if it is not a crawl store. When the reader of
 * `out` goes away (`aio export ... | head -3`: EPIPE), the export stops there, quietly: that is
 * the reader's normal early stop, and the count says how many pages were handed over.
 *
 * @example
 * ```ts
 * import { exportPages } from "@asyncio-ts/crawler";
 *
 * await exportPages("crawl.db", "csv", process.stdout);
 * ```
 */
export async function exportPages(
  dbPath: string,
  format: "jsonl" | "csv",
  out: Writable,
): Promise<number> {
  const store = CrawlStore.openReadOnly(dbPath);
  const output = new Output(out);
  let n = 0;
  try {
    if (format === "csv" && !output.write(`${EXPORT_COLUMNS.join(",")}\r\n`)) return n;
    for (const page of store.pages()) {
      if (!output.write(formatPage(page, format))) break;
      n++;
      // Checked here, not only in ready(): an await per page would cost a promise each time.
      if (out.writableNeedDrain) await output.ready();
    }
  } finally {
    output.release();
    store.close();
  }
  return n;
}
