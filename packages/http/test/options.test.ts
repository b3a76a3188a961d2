import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientSession, type ClientSessionOptions, type RequestOptions } from "../src/index.js";

/** Asserts that constructing a session with `options` throws `type` with a message matching `message`. */
function rejectsOption(
  options: unknown,
  type: typeof TypeError | typeof RangeError,
  message: RegExp,
) {
  assert.throws(
    () => new ClientSession(options as ClientSessionOptions),
    (e: unknown) => {
      assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
      assert.match((e as Error).message, message);
      return true;
    },
  );
}

test("bad session options throw TypeError or RangeError naming the option, expectation and value", () => {
  rejectsOption(
    { limit: -1 },
    RangeError,
    /"limit" expected an integer at least 0, received -1 \(number\)/,
  );
  rejectsOption({ limit: 1.5 }, RangeError, /"limit" expected an integer/);
  rejectsOption(
    { limit: "10" },
    TypeError,
    /"limit" expected an integer, received "10" \(string\)/,
  );
  rejectsOption({ limitPerHost: -2 }, RangeError, /"limitPerHost"/);
  rejectsOption(
    { timeout: { total: 0 } },
    RangeError,
    /"timeout.total" \(seconds\) expected a number greater than 0 and at most 2147483 .*, received 0/,
  );
  rejectsOption(
    { timeout: { connect: "1s" } },
    TypeError,
    /"timeout.connect" \(seconds\) expected a number/,
  );
  rejectsOption(
    { timeout: { read: 1 } },
    TypeError,
    /has no option "read"; expected one of: total, connect, sockRead/,
  );
  rejectsOption({ timeOut: 1 }, TypeError, /has no option "timeOut"/);
  // Node arms a longer timer after 1 ms: a 30-day timeout expired at once.
  rejectsOption(
    { timeout: { total: 30 * 86400 } },
    RangeError,
    /^ClientSession option "timeout.total" \(seconds\) expected a number greater than 0 and at most 2147483 \(about 24\.8 days, the longest Node timer\), received 2592000 \(number\)$/,
  );
  rejectsOption({ keepAliveTimeout: 3e6 }, RangeError, /"keepAliveTimeout" .* at most 2147483/);
  rejectsOption({ retry: { maxRetryAfter: 3e6 } }, RangeError, /"retry.maxRetryAfter" .* at most/);
  rejectsOption({ maxRedirects: -1 }, RangeError, /"maxRedirects"/);
  rejectsOption({ maxResponseSize: -5 }, RangeError, /"maxResponseSize" \(bytes\)/);
  rejectsOption(
    { retry: { attempts: 0 } },
    RangeError,
    /"retry.attempts" expected an integer at least 1/,
  );
  rejectsOption({ retry: { statuses: [42] } }, RangeError, /"retry.statuses" entry/);
  rejectsOption({ retry: { tries: 2 } }, TypeError, /"retry" has no option "tries"/);
  rejectsOption({ raiseForStatus: "yes" }, TypeError, /"raiseForStatus" expected true or false/);
  rejectsOption(
    { baseUrl: "example.com" },
    TypeError,
    /^ClientSession option "baseUrl" expected an absolute http\(s\) URL, received "example\.com" \(string\) \(such as "https:\/\/api\.example\.com\/v1\/"\)$/,
  );
  rejectsOption({ baseUrl: "ftp://example.com/" }, TypeError, /expected an http: or https: URL/);
  rejectsOption({ headers: 42 }, TypeError, /"headers" expected a record/);
  rejectsOption("fast", TypeError, /expected an options object, received "fast" \(string\)/);
});

test("good session options are accepted, including null to disable a timeout", async () => {
  const session = new ClientSession({
    baseUrl: new URL("http://127.0.0.1/"),
    headers: new Headers({ "x-a": "1" }),
    limit: 0,
    limitPerHost: 2,
    timeout: { total: null, connect: 0.5, sockRead: 2 },
    maxRedirects: 0,
    maxResponseSize: null,
    retry: { attempts: 2, statuses: [503], backoff: 0, jitter: false },
    raiseForStatus: true,
    keepAliveTimeout: 1,
  });
  assert.match(
    String(session),
    /ClientSession\(open http:\/\/127\.0\.0\.1\/, 0 in flight, 0\/∞ connections/,
  );
  await session.close();
});

test("bad request arguments reject with TypeError or RangeError before anything is sent", async () => {
  await using session = new ClientSession();
  const cases: [string, unknown, RequestOptions | undefined, RegExp][] = [
    ["GET", "relative/path", undefined, /expected an absolute http\(s\) URL.*baseUrl/],
    ["GET", "mailto:a@b.c", undefined, /http: or https:/],
    ["GET", 42, undefined, /expected the URL as a string or URL, received 42/],
    ["BAD METHOD", "http://127.0.0.1/", undefined, /expected an HTTP method name/],
    ["POST", "http://127.0.0.1/", { body: "a", json: {} }, /"body" and "json" are exclusive/],
    ["POST", "http://127.0.0.1/", { body: 42 as never }, /"body" expected a string, Uint8Array/],
    ["GET", "http://127.0.0.1/", { timeout: { sockRead: -1 } }, /"timeout.sockRead"/],
    ["GET", "http://127.0.0.1/", { timeout: { connect: 3e6 } }, /"timeout.connect" .* at most/],
    ["GET", "http://127.0.0.1/", { maxRedirects: 1.5 }, /"maxRedirects" expected an integer/],
    [
      "GET",
      "http://127.0.0.1/",
      { allowRedirects: "no" as never },
      /"allowRedirects" expected true or false/,
    ],
    ["GET", "http://127.0.0.1/", { signal: {} as never }, /"signal" expected an AbortSignal/],
    ["GET", "http://127.0.0.1/", { follow: true } as never, /has no option "follow"/],
    [
      "GET",
      "http://127.0.0.1/",
      { params: { q: "lamp", page: {} } as never },
      /^request option "params" entry "page" expected a string, number or boolean \(or an array of them\), received an object$/,
    ],
    [
      "GET",
      "http://127.0.0.1/",
      { params: { tag: ["a", undefined] } as never },
      /"params" entry "tag" expected a string, number or boolean .* received undefined/,
    ],
    [
      "POST",
      "http://127.0.0.1/",
      { json: { n: 1n } },
      /^request option "json" expected a JSON-serialisable value: Do not know how to serialize a BigInt$/,
    ],
  ];
  for (const [method, url, options, message] of cases) {
    await assert.rejects(session.request(method, url as string, options), (e: unknown) => {
      assert.ok(e instanceof TypeError || e instanceof RangeError, `${method} ${url}: got ${e}`);
      assert.match((e as Error).message, message);
      return true;
    });
  }
  assert.equal(session.statistics().inFlight, 0);
});
