/**
 * Progress reporting on stderr: on a terminal a live status line rewritten in place; otherwise
 * (a pipe, a log file, CI) one plain line every few seconds.
 */
import type { CrawlProgress } from "./crawler.js";

/**
 * `n` and `word`, plural unless `n` is 1: `plural(1, "page")` is "1 page", `plural(3, "retry",
 * "retries")` is "3 retries".
 */
export const plural = (n: number, word: string, many = `${word}s`) =>
  `${n} ${n === 1 ? word : many}`;

/** Formats one progress line. */
export function formatProgress(p: CrawlProgress): string {
  const parts = [
    `[${p.elapsed.toFixed(1)}s] ${plural(p.pages, "page")}`,
    `${p.queued} queued`,
    `${p.inFlight} in flight`,
    `${p.pagesPerSecond.toFixed(1)} pages/s`,
    `${p.failed} failed`,
  ];
  if (p.delayed.length > 0) {
    const shown = p.delayed
      .slice(0, 3)
      .map((d) => `${d.host.replace(/^https?:\/\//, "")} ${d.wait.toFixed(2)}s`);
    const more = p.delayed.length > 3 ? ` +${p.delayed.length - 3}` : "";
    parts.push(`delayed: ${shown.join(", ")}${more}`);
  }
  return parts.join(" · ");
}

/**
 * Prints `snapshot()` periodically until {@link ProgressReporter.stop}. The timer is unref'd, so
 * it never keeps the process alive.
 *
 * @example
 * ```ts
 * const progress = new ProgressReporter(process.stderr, () => crawler.progress());
 * progress.start();
 * await crawler.run();
 * progress.stop();
 * ```
 */
export class ProgressReporter {
  readonly #out: NodeJS.WriteStream;
  readonly #snapshot: () => CrawlProgress;
  readonly #tty: boolean;
  readonly #interval: number;
  #timer: NodeJS.Timeout | undefined;

  /** `intervalSeconds` defaults to 0.2 on a terminal and 2 otherwise. */
  constructor(out: NodeJS.WriteStream, snapshot: () => CrawlProgress, intervalSeconds?: number) {
    this.#out = out;
    this.#snapshot = snapshot;
    this.#tty = out.isTTY === true;
    this.#interval = intervalSeconds ?? (this.#tty ? 0.2 : 2);
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#print(), this.#interval * 1000);
    this.#timer.unref();
  }

  /** Prints a one-off message without garbling the live line. */
  note(message: string): void {
    if (this.#tty) this.#out.write("\r\x1b[K");
    this.#out.write(`${message}\n`);
    if (this.#tty && this.#timer !== undefined) this.#print();
  }

  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#tty) this.#out.write("\r\x1b[K");
  }

  #print(): void {
    const line = formatProgress(this.#snapshot());
    if (this.#tty) {
      const width = this.#out.columns || 120; // 0 when the terminal size is unknown
      this.#out.write(`\r\x1b[K${line.slice(0, Math.max(20, width - 1))}`);
    } else {
      this.#out.write(`${line}\n`);
    }
  }
}
