/**
 * Streaming HTML extraction on htmlparser2's `Parser` (no DOM is built).
 *
 * The page is fed chunk by chunk as it arrives; only the few things a crawler needs are kept:
 * the title, the links (`a[href]`, `area[href]`, resolved against `<base href>`), `rel=nofollow`,
 * `<meta name="robots">` directives and `<link rel="canonical">`. Every kept string is copied
 * out of the parser's chunk so the page text can be collected as soon as parsing ends.
 */
import { Parser } from "htmlparser2";
import { normalizeUrl } from "./url.js";

/** One link found on a page. */
export interface ExtractedLink {
  /** The normalised absolute http(s) URL. */
  url: string;
  /** `rel="nofollow"` on the anchor. */
  nofollow: boolean;
}

/** What a page says about itself and where it points. */
export interface PageInfo {
  /** Text of the first `<title>`, whitespace collapsed; `undefined` when there is none. */
  title: string | undefined;
  /** Unique links in document order (http(s) only, normalised, at most `maxLinks`). */
  links: ExtractedLink[];
  /** `<link rel="canonical">`, normalised. */
  canonical: string | undefined;
  /** `<meta name="robots" content="noindex">` (or `none`). */
  noindex: boolean;
  /** `<meta name="robots" content="nofollow">` (or `none`): no link on the page is followed. */
  nofollow: boolean;
  /** The URL links were resolved against (the page URL, or its `<base href>`). */
  baseUrl: string;
}

/** Limits that keep one hostile page from using unbounded memory. */
export interface ExtractorLimits {
  /** Links kept per page (default 5,000). */
  maxLinks?: number;
  /** Characters kept of the title (default 1,000). */
  maxTitle?: number;
}

/**
 * Copies a string so it no longer shares storage with the chunk it was sliced from (V8 keeps
 * the whole parent string alive behind a sliced string).
 */
function detach(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}

/**
 * Parses HTML incrementally and collects {@link PageInfo}.
 *
 * Links are resolved when the document ends, because `<base href>` applies to the whole
 * document even when it appears after some links.
 *
 * @example
 * ```ts
 * import { HtmlExtractor } from "@asyncio-ts/crawler";
 *
 * const x = new HtmlExtractor("https://example.com/dir/page");
 * x.write("<title>Hi</title><a href='next'>n</a>");
 * const info = x.end();
 * console.log(info.title); // "Hi"
 * console.log(info.links[0]?.url); // "https://example.com/dir/next"
 * ```
 */
export class HtmlExtractor {
  readonly #pageUrl: string;
  readonly #maxLinks: number;
  readonly #maxTitle: number;
  readonly #parser: Parser;
  // Raw hrefs in document order; resolved in end() against the final base URL.
  readonly #rawLinks: { href: string; nofollow: boolean }[] = [];
  #base: string | undefined;
  #canonical: string | undefined;
  #noindex = false;
  #nofollow = false;
  #title: string | undefined;
  // Invariant: #inTitle is true only between the first <title> open tag and its close tag.
  #inTitle = false;
  #titleDone = false;
  #titleParts: string[] = [];
  #titleLength = 0;
  #svgDepth = 0;
  #ended = false;

  constructor(pageUrl: string, limits: ExtractorLimits = {}) {
    this.#pageUrl = pageUrl;
    this.#maxLinks = limits.maxLinks ?? 5000;
    this.#maxTitle = limits.maxTitle ?? 1000;
    this.#parser = new Parser(
      {
        onopentag: (name, attribs) => this.#open(name, attribs),
        onclosetag: (name) => this.#close(name),
        ontext: (text) => this.#text(text),
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
  }

  /** Feeds the next chunk of decoded text. */
  write(chunk: string): void {
    if (this.#ended) throw new Error("HtmlExtractor.write() after end()");
    this.#parser.write(chunk);
  }

  /** Ends the document and returns what was found. Calling it twice throws. */
  end(): PageInfo {
    if (this.#ended) throw new Error("HtmlExtractor.end() called twice");
    this.#parser.end();
    this.#ended = true;
    this.#finishTitle();
    const baseUrl = (this.#base && normalizeUrl(this.#base, this.#pageUrl)) ?? this.#pageUrl;
    const seen = new Set<string>();
    const links: ExtractedLink[] = [];
    for (const { href, nofollow } of this.#rawLinks) {
      const url = normalizeUrl(href, baseUrl);
      if (url === undefined || seen.has(url)) continue;
      seen.add(url);
      links.push({ url, nofollow });
    }
    const canonical =
      this.#canonical === undefined ? undefined : normalizeUrl(this.#canonical, baseUrl);
    return {
      title: this.#title,
      links,
      canonical,
      noindex: this.#noindex,
      nofollow: this.#nofollow,
      baseUrl,
    };
  }

  #open(name: string, attribs: Record<string, string>): void {
    if (name === "svg") this.#svgDepth++;
    switch (name) {
      case "a":
      case "area": {
        const href = attribs.href;
        if (href !== undefined && this.#rawLinks.length < this.#maxLinks) {
          const rel = ` ${(attribs.rel ?? "").toLowerCase()} `.replace(/\s+/g, " ");
          this.#rawLinks.push({ href: detach(href), nofollow: rel.includes(" nofollow ") });
        }
        break;
      }
      case "base":
        // Only the first <base href> counts (HTML spec: "the first base element with href").
        if (this.#base === undefined && attribs.href !== undefined)
          this.#base = detach(attribs.href);
        break;
      case "link": {
        const rel = (attribs.rel ?? "").toLowerCase().split(/\s+/);
        if (this.#canonical === undefined && rel.includes("canonical") && attribs.href) {
          this.#canonical = detach(attribs.href);
        }
        break;
      }
      case "meta": {
        if ((attribs.name ?? "").toLowerCase() !== "robots") break;
        const directives = (attribs.content ?? "").toLowerCase().split(/[\s,]+/);
        if (directives.includes("noindex") || directives.includes("none")) this.#noindex = true;
        if (directives.includes("nofollow") || directives.includes("none")) this.#nofollow = true;
        break;
      }
      case "title":
        // An SVG <title> is a tooltip, not the document title.
        if (!this.#titleDone && this.#svgDepth === 0) this.#inTitle = true;
        break;
    }
  }

  #close(name: string): void {
    if (name === "svg" && this.#svgDepth > 0) this.#svgDepth--;
    if (name === "title" && this.#inTitle) this.#finishTitle();
  }

  #text(text: string): void {
    if (!this.#inTitle || this.#titleLength >= this.#maxTitle) return;
    const part = text.slice(0, this.#maxTitle - this.#titleLength);
    this.#titleParts.push(detach(part));
    this.#titleLength += part.length;
  }

  #finishTitle(): void {
    if (this.#titleDone || (!this.#inTitle && this.#titleParts.length === 0)) return;
    this.#inTitle = false;
    this.#titleDone = true;
    const title = this.#titleParts.join("").replace(/\s+/g, " ").trim();
    this.#titleParts = [];
    this.#title = title === "" ? undefined : title;
  }
}

/**
 * Parses a whole HTML string (a convenience over {@link HtmlExtractor} for tests and tools).
 *
 * @example
 * ```ts
 * import { extractPage } from "@asyncio-ts/crawler";
 *
 * console.log(extractPage("<a href='/x' rel='nofollow'>", "http://h/").links); // [{ url: "http://h/x", nofollow: true }]
 * ```
 */
export function extractPage(html: string, pageUrl: string, limits?: ExtractorLimits): PageInfo {
  const extractor = new HtmlExtractor(pageUrl, limits);
  extractor.write(html);
  return extractor.end();
}
