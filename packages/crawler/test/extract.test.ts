import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { extractPage, HtmlExtractor } from "../src/extract.js";

const PAGE = "https://example.com/dir/page.html";

describe("HtmlExtractor", () => {
  it("collects the first title with whitespace collapsed, ignoring SVG titles", () => {
    const info = extractPage(
      "<svg><title>icon</title></svg><title>\n  Hello &amp;\n world </title><title>second</title>",
      PAGE,
    );
    assert.equal(info.title, "Hello & world");
  });

  it("has no title when the page has none or it is blank", () => {
    assert.equal(extractPage("<p>x</p>", PAGE).title, undefined);
    assert.equal(extractPage("<title>   </title>", PAGE).title, undefined);
  });

  it("resolves, normalises and deduplicates links, keeping only http(s)", () => {
    const info = extractPage(
      `<a href="next.html">1</a><a href="/abs#frag">2</a><a href="/abs">dup</a>
       <a href="mailto:x@y">m</a><a href="javascript:go()">j</a><a>no href</a>
       <area href="HTTPS://EXAMPLE.com:443/area"><a href="?q=a&amp;b=c">q</a>`,
      PAGE,
    );
    assert.deepEqual(
      info.links.map((l) => l.url),
      [
        "https://example.com/dir/next.html",
        "https://example.com/abs",
        "https://example.com/area",
        "https://example.com/dir/page.html?q=a&b=c",
      ],
    );
  });

  it("applies <base href> to every link, even links before it", () => {
    const info = extractPage(
      `<a href="early">e</a><base href="/other/"><base href="/ignored/"><a href="late">l</a>`,
      PAGE,
    );
    assert.equal(info.baseUrl, "https://example.com/other/");
    assert.deepEqual(
      info.links.map((l) => l.url),
      ["https://example.com/other/early", "https://example.com/other/late"],
    );
  });

  it("marks rel=nofollow links", () => {
    const info = extractPage(
      `<a href="/a" rel="external NoFollow">a</a><a href="/b" rel="nofollowish">b</a>`,
      PAGE,
    );
    assert.deepEqual(
      info.links.map((l) => [l.url, l.nofollow]),
      [
        ["https://example.com/a", true],
        ["https://example.com/b", false],
      ],
    );
  });

  it("reads meta robots noindex, nofollow and none", () => {
    const both = extractPage(`<meta name="ROBOTS" content="NoIndex, NoFollow">`, PAGE);
    assert.deepEqual([both.noindex, both.nofollow], [true, true]);
    const none = extractPage(`<meta name="robots" content="none">`, PAGE);
    assert.deepEqual([none.noindex, none.nofollow], [true, true]);
    const index = extractPage(`<meta name="robots" content="noindex">`, PAGE);
    assert.deepEqual([index.noindex, index.nofollow], [true, false]);
    const other = extractPage(`<meta name="description" content="noindex">`, PAGE);
    assert.deepEqual([other.noindex, other.nofollow], [false, false]);
  });

  it("reads the canonical link", () => {
    assert.equal(
      extractPage(
        `<link rel="canonical" href="/canon#x"><link rel="canonical" href="/second">`,
        PAGE,
      ).canonical,
      "https://example.com/canon",
    );
    assert.equal(extractPage(`<link rel="stylesheet" href="/s.css">`, PAGE).canonical, undefined);
  });

  it("keeps at most maxLinks links and maxTitle characters", () => {
    const html = `<title>${"t".repeat(50)}</title>${Array.from({ length: 20 }, (_, i) => `<a href="/${i}">`).join("")}`;
    const info = extractPage(html, PAGE, { maxLinks: 5, maxTitle: 10 });
    assert.equal(info.links.length, 5);
    assert.equal(info.title, "t".repeat(10));
  });

  it("gives the same result however the page is split into chunks (property)", () => {
    const html = `<html><head><title>A &amp; B</title><base href="/b/"><meta name="robots" content="noindex">
      <link rel="canonical" href="/c"></head><body><a href="x" rel="nofollow">x</a> text <a href='/y?z=1&amp;w=2'>y</a>
      <svg><title>no</title></svg><area href="//other.org/p"></body></html>`;
    const whole = extractPage(html, PAGE);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: html.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), html.length];
          const x = new HtmlExtractor(PAGE);
          for (let i = 0; i + 1 < points.length; i++) x.write(html.slice(points[i], points[i + 1]));
          assert.deepEqual(x.end(), whole);
        },
      ),
    );
  });

  it("refuses use after end()", () => {
    const x = new HtmlExtractor(PAGE);
    x.end();
    assert.throws(() => x.write("<p>"), /after end/);
    assert.throws(() => x.end(), /twice/);
  });
});
