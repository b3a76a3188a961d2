/**
 * Opening a crawl store safely: a path that is not a crawl store is refused before anything is
 * written to it (no journal, no WAL file, no schema), so a mistyped `--db` never damages a file.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

/** Marks a database as a crawl store; checked before a store is opened for writing. */
export const STORE_APP = "asyncio-ts-crawler";
/** The schema version this code reads and writes. */
export const STORE_VERSION = 1;

/**
 * A `--db` that cannot be used: not a crawl store, unwritable, busy, or a newer schema. Thrown
 * before anything is written to the file; `aio` prints its message and exits 2.
 *
 * @example
 * ```ts
 * import { CrawlStore, StoreError } from "@asyncio-ts/crawler";
 *
 * try {
 *   CrawlStore.open("/etc/hostname");
 * } catch (e) {
 *   if (!(e instanceof StoreError)) throw e;
 *   console.log(e.message); // --db /etc/hostname is not a crawl store (not an SQLite database); ...
 * }
 * ```
 */
export class StoreError extends Error {
  override name = "StoreError";
  /** The path that was refused. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

const SQLITE_MAGIC = "SQLite format 3\0";

/** Reads the first 16 bytes of a file (fewer when it is shorter). */
function readHeader(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString("latin1");
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks, read-only, that `path` is an existing crawl store of a version this code understands.
 * For `"write"` (the default), returns "fresh" for a missing or empty file (a new store will be
 * created there). For `"read"` (export), a missing file is refused: there is nothing to read,
 * and nothing is created.
 */
export function inspectStore(path: string, purpose: "write" | "read" = "write"): "fresh" | "store" {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new StoreError(path, `--db ${path} is a directory, not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof StoreError) throw err;
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new StoreError(path, `--db ${path} cannot be read: ${(err as Error).message}`);
    }
    if (purpose === "read") {
      throw new StoreError(
        path,
        `--db ${path} cannot be opened for reading: the database file does not exist`,
      );
    }
    let dir: ReturnType<typeof statSync> | undefined;
    try {
      dir = statSync(dirname(resolve(path)));
    } catch {
      dir = undefined;
    }
    if (!dir?.isDirectory()) {
      throw new StoreError(
        path,
        `--db ${path} is not writable: directory ${dirname(path)} does not exist`,
      );
    }
    return "fresh";
  }
  if (size === 0) return "fresh";
  if (readHeader(path) !== SQLITE_MAGIC) {
    throw new StoreError(
      path,
      `--db ${path} is not a crawl store (not an SQLite database); refusing to touch it`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const hasMeta = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
      .get();
    const app = hasMeta
      ? (db.prepare("SELECT value FROM meta WHERE key = 'app'").get() as
          | { value: string }
          | undefined)
      : undefined;
    if (app?.value !== STORE_APP) {
      throw new StoreError(
        path,
        `--db ${path} is an SQLite database but not a crawl store; refusing to touch it`,
      );
    }
    const version = db.prepare("SELECT value FROM meta WHERE key = 'version'").get() as
      | { value: string }
      | undefined;
    if (Number(version?.value) !== STORE_VERSION) {
      throw new StoreError(
        path,
        `--db ${path} is a crawl store of schema version ${version?.value ?? "?"}; this aio reads version ${STORE_VERSION}`,
      );
    }
    return "store";
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(path, `--db ${path} is not a crawl store: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Opens (creating if needed) a crawl store for writing, after {@link inspectStore} accepted it.
 * WAL journaling lets `aio export` read while a crawl writes; `synchronous = NORMAL` keeps every
 * committed transaction atomic and consistent after `kill -9` (WAL replays on the next open).
 */
export function openDatabase(path: string, readonly = false): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
  } catch (err) {
    throw new StoreError(path, `--db ${path} cannot be opened: ${(err as Error).message}`);
  }
  if (!readonly) {
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    } catch (err) {
      db.close();
      throw new StoreError(path, `--db ${path} is not writable: ${(err as Error).message}`);
    }
  }
  db.pragma("busy_timeout = 5000");
  return db;
}
