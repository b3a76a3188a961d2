// A stand-in for better-sqlite3 built on node:sqlite, for running the asyncio-ts crawl on a node
// whose ABI the installed better-sqlite3 addon was not compiled for (the machine's better-sqlite3
// is built for node 20; node 24 needs a rebuild against Node 24's headers, which cannot be fetched
// here). It covers exactly the part of better-sqlite3's API the crawler's store uses: the
// Database constructor (readonly, fileMustExist), exec, prepare, pragma, transaction (with its
// .immediate variant and savepoints when nested, as better-sqlite3 does), open, inTransaction,
// readonly and close; statements with run, get, all, iterate and pluck.
//
// Same SQLite, same SQL, same WAL and synchronous settings: only the binding differs, so a
// crawl through it measures the engine with node:sqlite's per-call cost instead of
// better-sqlite3's. `asyncio-ts.mjs` installs it only when better-sqlite3 cannot load.
import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";

class Statement {
  #stmt;
  #pluck = false;

  constructor(stmt) {
    this.#stmt = stmt;
    // better-sqlite3 ignores object keys that the SQL does not name; node:sqlite throws.
    stmt.setAllowUnknownNamedParameters(true);
  }

  /** Return the first column of each row instead of the row (better-sqlite3's pluck()). */
  pluck(on = true) {
    this.#pluck = on;
    return this;
  }

  #value(row) {
    if (!this.#pluck || row === undefined) return row;
    for (const key in row) return row[key];
    return undefined;
  }

  run(...params) {
    return this.#stmt.run(...params);
  }

  get(...params) {
    return this.#value(this.#stmt.get(...params));
  }

  all(...params) {
    const rows = this.#stmt.all(...params);
    return this.#pluck ? rows.map((row) => this.#value(row)) : rows;
  }

  *iterate(...params) {
    for (const row of this.#stmt.iterate(...params)) yield this.#value(row);
  }
}

let savepoints = 0;

export default class Database {
  #db;
  readonly;

  constructor(path, options = {}) {
    if (options.fileMustExist && !existsSync(path)) {
      throw new Error(`unable to open database file: ${path} does not exist`);
    }
    this.readonly = options.readonly === true;
    this.#db = new DatabaseSync(path, { readOnly: this.readonly });
  }

  get open() {
    return this.#db.isOpen;
  }

  get inTransaction() {
    return this.#db.isOpen && this.#db.isTransaction;
  }

  exec(sql) {
    this.#db.exec(sql);
    return this;
  }

  prepare(sql) {
    return new Statement(this.#db.prepare(sql));
  }

  /** `pragma("x = y")` sets, `pragma("x")` reads (rows, as better-sqlite3 returns them). */
  pragma(source) {
    return this.#db.prepare(`PRAGMA ${source}`).all();
  }

  /**
   * Wrap `fn` in BEGIN/COMMIT (BEGIN IMMEDIATE for `.immediate`), or in a savepoint when a
   * transaction is already open, rolling back on a throw: better-sqlite3's transaction().
   */
  transaction(fn) {
    const wrap =
      (begin) =>
      (...args) => {
        if (this.inTransaction) {
          const name = `shim_${++savepoints}`;
          this.#db.exec(`SAVEPOINT ${name}`);
          try {
            const result = fn(...args);
            this.#db.exec(`RELEASE ${name}`);
            return result;
          } catch (error) {
            this.#db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
            throw error;
          }
        }
        this.#db.exec(begin);
        try {
          const result = fn(...args);
          this.#db.exec("COMMIT");
          return result;
        } catch (error) {
          if (this.inTransaction) this.#db.exec("ROLLBACK");
          throw error;
        }
      };
    const tx = wrap("BEGIN");
    tx.deferred = tx;
    tx.immediate = wrap("BEGIN IMMEDIATE");
    tx.exclusive = wrap("BEGIN EXCLUSIVE");
    return tx;
  }

  close() {
    if (this.#db.isOpen) this.#db.close();
    return this;
  }
}
