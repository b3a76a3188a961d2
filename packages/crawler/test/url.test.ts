import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { hostKey, normalizeUrl, scopeFilter, siteOf } from "../src/url.js";

describe("normalizeUrl", () => {
  const cases: [string, string | undefined, string?][] = [
    ["HTTP://Example.COM:80/a/../b#top", "http://example.com/b"],
    ["https://example.com:443", "https://example.com/"],
    ["https://example.com:8443/x", "https://example.com:8443/x"],
    ["http://user:pw@example.com/", "http://example.com/"],
    ["http://example.com./path", "http://example.com/path"],
    ["http://example.com/?b=2&a=1", "http://example.com/?b=2&a=1"],
    ["http://example.com/%7Euser/%7euser/~user", "http://example.com/~user/~user/~user"],
    ["http://example.com/caf%c3%a9/a%2fb%3F", "http://example.com/caf%C3%A9/a%2Fb%3F"],
    ["http://example.com/%41%2D%5F%2E", "http://example.com/A-_."],
    ["http://example.com/p?q=%7e", "http://example.com/p?q=%7e"],
    ["page?id=2", "https://example.com/dir/page?id=2", "https://example.com/dir/index.html"],
    ["../up", "https://example.com/up", "https://example.com/dir/"],
    ["//other.org/x", "https://other.org/x", "https://example.com/"],
    ["#only-fragment", "https://example.com/a", "https://example.com/a#b"],
    ["mailto:someone@example.com", undefined],
    ["javascript:void(0)", undefined],
    ["ftp://example.com/file", undefined],
    ["data:text/html,hi", undefined],
    ["not a url", undefined],
    ["", undefined],
    ["   ", undefined],
  ];
  for (const [input, expected, base] of cases) {
    it(`normalises ${JSON.stringify(input)}${base ? ` against ${base}` : ""} to ${expected}`, () => {
      assert.equal(normalizeUrl(input, base), expected);
    });
  }

  it("is idempotent on every http(s) URL (property)", () => {
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), (url) => {
        const once = normalizeUrl(url);
        if (once === undefined) return;
        assert.equal(normalizeUrl(once), once);
        assert.equal(once.includes("#"), false);
      }),
    );
  });
});

describe("hostKey", () => {
  it("is the origin, port included", () => {
    assert.equal(hostKey("http://127.0.0.1:8080/a?b"), "http://127.0.0.1:8080");
    assert.equal(hostKey("https://example.com/"), "https://example.com");
  });
});

describe("siteOf", () => {
  it("keeps the registrable domain", () => {
    assert.equal(siteOf("www.example.com"), "example.com");
    assert.equal(siteOf("a.b.example.com"), "example.com");
    assert.equal(siteOf("shop.example.co.uk"), "example.co.uk");
    assert.equal(siteOf("example.com"), "example.com");
    assert.equal(siteOf("127.0.0.1"), "127.0.0.1");
    assert.equal(siteOf("localhost"), "localhost");
  });
});

describe("scopeFilter", () => {
  const starts = ["https://www.example.com/start"];
  it("same-origin keeps scheme, host and port", () => {
    const f = scopeFilter("same-origin", starts);
    assert.equal(f("https://www.example.com/other"), true);
    assert.equal(f("http://www.example.com/other"), false);
    assert.equal(f("https://www.example.com:8443/"), false);
    assert.equal(f("https://blog.example.com/"), false);
  });
  it("same-site admits sibling hosts and the other scheme", () => {
    const f = scopeFilter("same-site", starts);
    assert.equal(f("http://blog.example.com/post"), true);
    assert.equal(f("https://example.org/"), false);
  });
  it("any admits everything", () => {
    assert.equal(scopeFilter("any", starts)("https://elsewhere.net/"), true);
  });
  it("matches any of several start URLs", () => {
    const f = scopeFilter("same-origin", ["http://a.test/", "http://b.test/"]);
    assert.equal(f("http://b.test/x"), true);
    assert.equal(f("http://c.test/x"), false);
  });
});
