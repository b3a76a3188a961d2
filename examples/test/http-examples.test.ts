import assert from "node:assert/strict";
import { test } from "node:test";
import { QUERIES, main as urlFetcherMain } from "../src/seed003-url-fetcher.js";
import { main as aiohttpMain } from "../src/seed004-aiohttp.js";

/** Runs an example on real time (it does real network I/O) and collects what it prints. */
async function output(
  main: (out: (line: string) => void, options: object) => Promise<void>,
  options = {},
) {
  const lines: string[] = [];
  await main((line) => lines.push(line), options);
  return lines;
}

/** "Running time = 0:00:01.234000" -> 1.234 */
function seconds(line: string | undefined): number {
  const m = /^Running time = (\d+):(\d\d):(\d\d\.\d{6})$/.exec(line ?? "");
  assert.ok(m, `not a running time line: ${line}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

test("seed 003 URL fetcher: five pages one by one, then all at once, with Python-style times", async () => {
  const pageDelay = 0.6;
  const lines = await output(urlFetcherMain, { pageDelay });
  assert.equal(lines.length, 10, lines.join("\n"));
  assert.equal(lines[0], "[one by one]");
  assert.match(lines[1]!, /^Start = \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
  assert.match(lines[2]!, /^End = \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
  assert.equal(lines[4], `pages: ${QUERIES.map((q) => `${q} - Search`).join(", ")}`);
  assert.equal(lines[5], "[all at once]");
  assert.equal(
    lines[9],
    `pages: ${QUERIES.map((q) => `${q} - Search (3 links)`).join(", ")}`,
    "results keep the order of url_list whatever order the pages arrived in",
  );
  const oneByOne = seconds(lines[3]);
  const allAtOnce = seconds(lines[8]);
  // One after the other cannot take less than five answers; all at once must overlap them.
  assert.ok(oneByOne >= 5 * pageDelay, `one by one took ${oneByOne} s`);
  assert.ok(
    allAtOnce < 5 * pageDelay,
    `all at once took ${allAtOnce} s: the requests did not overlap`,
  );
});

test("seed 004 aiohttp: three pages fetched with one session, sizes printed in order", async () => {
  const lines = await output(aiohttpMain);
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^http:\/\/127\.0\.0\.1:\d+\/: 174 bytes$/);
  assert.match(lines[1]!, /^http:\/\/127\.0\.0\.1:\d+\/get: 119 bytes$/);
  assert.match(lines[2]!, /^http:\/\/127\.0\.0\.1:\d+\/api: 104 bytes$/);
});
