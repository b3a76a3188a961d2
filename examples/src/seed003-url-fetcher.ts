/**
 * Seed 003, the URL fetcher: five search pages fetched one after the other, then all at once,
 * each parsed, with the start, end and running time printed around each version.
 *
 * ```python
 * url_list = ['https://www.google.com/search?q=laptop', ... '...?q=speaker']
 * start_dttm = datetime.datetime.now(); print('Start = {}'.format(start_dttm))
 * for url in url_list:                                   # synchronous: one by one
 *     rq = requests.get(url)
 *     html_code = bs(rq.content, 'html.parser')
 *     url_result_list.append(html_code)
 * ...print('End = ...'); print('Running time = ...')     # 0:00:08.813414
 *
 * async def get_html(url):                               # asynchronous: all at once
 *     rq = await loop.run_in_executor(None, requests.get, url)
 *     html_code = await loop.run_in_executor(None, bs, rq.content, 'html.parser')
 *     return html_code
 * async def main():
 *     fts = [asyncio.ensure_future(get_html(url)) for url in url_list]
 *     result = await asyncio.gather(*fts)
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(main())
 * loop.close()                                           # 0:00:05.221613
 * ```
 *
 * Differences, on purpose:
 * - The pages come from a local server this program starts (each answer takes `pageDelay`
 *   seconds, as a remote site would), not from Google.
 * - `requests.get` blocks, which is why the seed moves it to a thread with `run_in_executor`.
 *   `ClientSession.get` does not block, so it is awaited directly; the parsing, which is
 *   CPU work like `bs(...)`, still goes through `loop.runInExecutor(null, ...)`.
 * - In JavaScript nothing can block on the network, so the "synchronous" version is the same
 *   requests awaited one after the other: the point (one page at a time) is the same.
 * - `loop.close()` is left out: the tour runs more programs on the same loop afterwards.
 */

import { ClientSession } from "@asyncio-ts/http";
import { ensureFuture, gather, getEventLoop } from "asyncio-ts";
import { startLocalServer } from "./lib/local-server.js";
import { type Out, onEventLoop, type ProgramOptions, runIfScript } from "./lib/program.js";

/** Options of this example besides the clock. */
export interface UrlFetcherOptions extends ProgramOptions {
  /** Seconds the local server takes to answer each page (default 0.5). */
  pageDelay?: number;
}

/** The seed's five searches. */
export const QUERIES = ["laptop", "mouse", "keyboard", "monitor", "speaker"];

/** What "parsing" a page keeps: its title and the number of links (bs's soup, reduced). */
export interface ParsedPage {
  title: string;
  links: number;
}

/**
 * The `bs(rq.content, 'html.parser')` step. Self-contained (no captured variables), because
 * `runInExecutor` runs it on a worker thread from its source text.
 */
export function parseHtml(html: string): ParsedPage {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? "";
  const links = html.match(/<a\s/gi)?.length ?? 0;
  return { title, links };
}

/** The page the local server sends for a search. */
function searchPage(q: string): string {
  const results = [1, 2, 3].map((i) => `<li><a href="/item/${q}/${i}">${q} ${i}</a></li>`).join("");
  return `<!doctype html><html><head><title>${q} - Search</title></head><body><ul>${results}</ul></body></html>`;
}

/** `datetime.datetime.now()` as Python prints it: "2022-02-14 02:10:48.467965". */
function pythonNow(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`;
}

/** A `timedelta` as Python prints it: "0:00:08.813414". */
function pythonDelta(ms: number): string {
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(6).padStart(9, "0");
  return `${h}:${String(m).padStart(2, "0")}:${sec}`;
}

/** Fetches the five pages one by one, then all at once, printing start, end and running time. */
export async function main(out: Out = console.log, options: UrlFetcherOptions = {}): Promise<void> {
  const server = await startLocalServer(
    (url) => ({
      type: "text/html; charset=utf-8",
      body: searchPage(url.searchParams.get("q") ?? ""),
    }),
    options.pageDelay ?? 0.5,
  );
  const urlList = QUERIES.map((q) => `${server.url}search?q=${q}`);
  try {
    await onEventLoop(async () => {
      const loop = getEventLoop();
      await using session = new ClientSession();

      // 1. One page after the other.
      out("[one by one]");
      let start = new Date();
      out(`Start = ${pythonNow(start)}`);
      const urlResultList: ParsedPage[] = [];
      await loop.runUntilComplete(async () => {
        for (const url of urlList) {
          const rq = await session.get(url);
          urlResultList.push(parseHtml(await rq.text()));
        }
      });
      let end = new Date();
      out(`End = ${pythonNow(end)}`);
      out(`Running time = ${pythonDelta(end.getTime() - start.getTime())}`);
      out(`pages: ${urlResultList.map((p) => p.title).join(", ")}`);

      // 2. All at once: every get_html starts before any of them finishes.
      out("[all at once]");
      start = new Date();
      out(`Start = ${pythonNow(start)}`);
      async function getHtml(url: string): Promise<ParsedPage> {
        const rq = await session.get(url);
        const htmlCode = await loop.runInExecutor(null, parseHtml, await rq.text());
        return htmlCode;
      }
      const result = await loop.runUntilComplete(async () => {
        const fts = urlList.map((url) => ensureFuture(() => getHtml(url)));
        return gather(...fts);
      });
      end = new Date();
      out(`End = ${pythonNow(end)}`);
      out(`Running time = ${pythonDelta(end.getTime() - start.getTime())}`);
      out(`pages: ${result.map((p) => `${p.title} (${p.links} links)`).join(", ")}`);
    }, options);
  } finally {
    await server.close();
  }
}

await runIfScript(import.meta.url, main);
