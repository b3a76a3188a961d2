/**
 * The deterministic demo site (`aio demo-site`, `aio crawl --demo`): a small website on
 * loopback that exercises everything a polite crawler must handle.
 *
 * - `/` links to the numbered pages, a redirect chain, a disallowed section, a CSV file, a
 *   missing page, two flaky pages, and links that must not be followed (mailto:, javascript:,
 *   another origin, `rel=nofollow`).
 * - `/page/1..N` form a link graph (i+1, 2i, 3i+1, a relative i+5, back home); every 10th page
 *   is slow; every 13th links to a missing page; page 4 uses `<base href>`; page 6 is `noindex`;
 *   page 8 is `nofollow`; page 3 carries a canonical link.
 * - `/robots.txt` disallows `/private/` and asks for a small `Crawl-delay`.
 * - `/old-home` -> 301 `/redirect/step` -> 302 `/about` (a redirect chain).
 * - `/flaky` answers 503 with `Retry-After: 1` once, then 200; `/unstable` answers 500 twice,
 *   then 200 (backoff). Counters are per server, so a fresh server behaves the same way again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Options of {@link startDemoSite}. */
export interface DemoSiteOptions {
  /** Numbered pages (default 40). */
  pages?: number;
  /** TCP port (default 0: any free port). */
  port?: number;
  /** `Crawl-delay` announced in robots.txt, seconds (default 0.05; 0 omits the line). */
  crawlDelay?: number;
  /** Extra latency of every 10th page, seconds (default 0.15). */
  slowDelay?: number;
}

/** One request the demo site answered. */
export interface DemoRequest {
  path: string;
  /** `performance.now()` at arrival and when the response finished, milliseconds. */
  start: number;
  end: number;
  userAgent: string;
}

/** A running demo site. */
export interface DemoSite {
  /** Base URL, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  port: number;
  /** Every request served so far, in arrival order. */
  requests: DemoRequest[];
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

function html(title: string, body: string, head = ""): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>${head}</head><body><h1>${esc(title)}</h1>${body}</body></html>\n`;
}

const a = (href: string, text: string, rel = "") =>
  `<a href="${esc(href)}"${rel ? ` rel="${rel}"` : ""}>${esc(text)}</a> `;

function homePage(pages: number): string {
  const numbered = [1, 2, 3].filter((i) => i <= pages).map((i) => a(`/page/${i}`, `Page ${i}`));
  return html(
    "asyncio-ts demo site",
    `<nav>${numbered.join("")}${a("/about", "About")}${a("/old-home", "Old home (redirects)")}</nav>
<p>${a("/private/secret", "Private (disallowed by robots.txt)")}${a("/files/data.csv", "Data (CSV)")}
${a("/missing", "A missing page")}${a("/flaky", "Flaky (503 once)")}${a("/unstable", "Unstable (500 twice)")}</p>
<p>${a("mailto:demo@example.invalid", "Mail")}${a("javascript:void(0)", "Script")}
${a("http://example.invalid/", "Elsewhere")}${a("/nofollowed", "Not followed", "nofollow")}${a("/page/1#top", "Page 1 again")}</p>`,
  );
}

function numberedPage(i: number, pages: number): string {
  const targets = [i + 1, 2 * i, 3 * i + 1].filter((t) => t <= pages);
  let body = targets.map((t) => a(`/page/${t}`, `Page ${t}`)).join("");
  if (i + 5 <= pages) body += a(`../page/${i + 5}`, `Page ${i + 5} (relative)`);
  body += a("/", "Home");
  if (i % 13 === 0) body += a(`/missing-${i}`, "A dead link");
  let head = "";
  if (i === 3) head += `<link rel="canonical" href="/page/3">`;
  if (i === 4) {
    head += `<base href="/docs/">`;
    body += a("guide", "Guide (via base href)");
  }
  if (i === 6) head += `<meta name="robots" content="noindex">`;
  if (i === 8) {
    head += `<meta name="robots" content="nofollow">`;
    body += a("/orphan", "Only linked from a nofollow page");
  }
  return html(`Demo page ${i}`, `<p>${body}</p>`, head);
}

/**
 * Starts the demo site on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { startDemoSite } from "@asyncio-ts/crawler";
 *
 * const site = await startDemoSite({ pages: 40 });
 * console.log(site.url); // http://127.0.0.1:PORT/
 * await site.close();
 * ```
 */
export async function startDemoSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  const pages = options.pages ?? 40;
  const crawlDelay = options.crawlDelay ?? 0.05;
  const slowMs = (options.slowDelay ?? 0.15) * 1000;
  const hits = new Map<string, number>();
  const requests: DemoRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const entry: DemoRequest = {
      path: req.url ?? "/",
      start: performance.now(),
      end: Number.NaN,
      userAgent: String(req.headers["user-agent"] ?? ""),
    };
    requests.push(entry);
    res.on("finish", () => {
      entry.end = performance.now();
    });
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const send = (status: number, body: string, type = "text/html; charset=utf-8", extra = {}) => {
      res.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        ...extra,
      });
      res.end(body);
    };
    const redirect = (status: number, to: string) => {
      res.writeHead(status, { location: to, "content-length": 0 });
      res.end();
    };
    const numbered = /^\/page\/(\d+)$/.exec(path);
    if (numbered) {
      const i = Number(numbered[1]);
      if (i < 1 || i > pages) return send(404, html("Not found", "<p>No such page.</p>"));
      const body = numberedPage(i, pages);
      if (i % 10 === 0 && slowMs > 0) {
        setTimeout(() => send(200, body), slowMs);
        return;
      }
      return send(200, body);
    }
    switch (path) {
      case "/":
        return send(200, homePage(pages));
      case "/robots.txt":
        return send(
          200,
          `User-agent: *\nDisallow: /private/\n${crawlDelay > 0 ? `Crawl-delay: ${crawlDelay}\n` : ""}`,
          "text/plain",
        );
      case "/about":
        return send(
          200,
          html("About the demo", `<p>${a("/docs/", "Docs")}${a("/docs/guide", "Guide")}</p>`),
        );
      case "/docs/":
        return send(200, html("Docs", `<p>${a("guide", "Guide")}${a("/", "Home")}</p>`));
      case "/docs/guide":
        return send(200, html("Guide", `<p>${a("/docs/", "Docs")}</p>`));
      case "/orphan":
      case "/nofollowed":
        return send(200, html("Should not be crawled", ""));
      case "/private/secret":
        return send(200, html("Secret", "<p>robots.txt disallows this page.</p>"));
      case "/old-home":
        return redirect(301, "/redirect/step");
      case "/redirect/step":
        return redirect(302, "/about");
      case "/files/data.csv":
        return send(200, "id,value\n1,alpha\n2,beta\n", "text/csv");
      case "/flaky":
        if (hit === 1)
          return send(503, html("Busy", "<p>Try again.</p>"), undefined, { "retry-after": "1" });
        return send(200, html("Flaky, but fine now", ""));
      case "/unstable":
        if (hit <= 2) return send(500, html("Server error", "<p>Oops.</p>"));
        return send(200, html("Unstable, but fine now", ""));
      default:
        return send(404, html("Not found", "<p>No such page.</p>"));
    }
  };

  const server: Server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
