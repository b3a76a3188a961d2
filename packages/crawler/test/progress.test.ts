/** The progress line of `aio crawl` (stderr). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatProgress } from "../src/progress.js";

const snapshot = {
  pages: 1,
  queued: 10,
  inFlight: 0,
  failed: 0,
  requests: 2,
  elapsed: 0.24,
  pagesPerSecond: 4.9,
  delayed: [],
};

describe("formatProgress", () => {
  it("counts pages in the singular and the plural", () => {
    assert.equal(
      formatProgress(snapshot),
      "[0.2s] 1 page · 10 queued · 0 in flight · 4.9 pages/s · 0 failed",
    );
    assert.match(formatProgress({ ...snapshot, pages: 2 }), /^\[0\.2s\] 2 pages · /);
  });

  it("names at most three delayed hosts, without the scheme, and counts the others", () => {
    const delayed = ["a", "b", "c", "d", "e"].map((h, i) => ({
      host: `https://${h}.example`,
      wait: 0.5 + i,
    }));
    assert.match(
      formatProgress({ ...snapshot, delayed }),
      / · delayed: a\.example 0\.50s, b\.example 1\.50s, c\.example 2\.50s \+2$/,
    );
  });
});
