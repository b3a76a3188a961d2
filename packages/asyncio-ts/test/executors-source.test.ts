/**
 * The self-contained function rule, checked in the main thread before anything reaches a
 * worker: which functions are accepted, which are refused, and what the refusal says.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findUndeclared } from "../src/executors/free-identifiers.js";
import { moduleFunction } from "../src/executors/module-function.js";
import { functionSpec } from "../src/executors/source-function.js";

/** Source texts and the outer names each one reads (scenario table). */
const SCENARIOS: [string, string, string[]][] = [
  ["plain arrow", "(a, b) => a + b", []],
  ["captured variable", "(x) => x + offset", ["offset"]],
  ["single parameter arrow", "x => x * factor", ["factor"]],
  ["member names are not variables", "(o) => o.offset + o?.scale", []],
  ["object keys and shorthand", "(a) => ({ key: a, other, [computed]: 1 })", ["other", "computed"]],
  ["object methods, getters", "() => ({ run(x) { return x }, get size() { return 1 } })", []],
  [
    "destructured parameters with defaults",
    "({ a, b: [c, d] }, e = LIMIT, ...rest) => a + c + d + e + rest.length",
    ["LIMIT"],
  ],
  [
    "declarations and destructuring",
    "() => { const { a, b: c } = load(); let [d, , e] = f(); var g = a + c + d + e; return g }",
    ["load", "f"],
  ],
  [
    "named function recursion",
    "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }",
    [],
  ],
  [
    "inner functions and classes",
    "function () { function helper(y) { return y } class Box { v = 1; get() { return this.v } } return helper(new Box()) }",
    [],
  ],
  [
    "class field initialiser reads outer",
    "() => { class A { x = outer; static y = 2 } return A }",
    ["outer"],
  ],
  [
    "for-of and catch bindings",
    "async (items) => { for (const [k, v] of items) use(k, v); try { x() } catch ({ message }) { return message } }",
    ["use", "x"],
  ],
  ["labels and break", "() => { outer: for (;;) { for (;;) { break outer } } }", []],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source text with a template
  ["template substitutions", "(n) => `${n} of ${total} and ${`${nested}`}`", ["total", "nested"]],
  ["regex literal is not code", "(s) => /offset|[/]x/g.test(s) ? 1 : s / 2 / 3", []],
  [
    "strings and comments are not code",
    "(s) => /* offset */ 'offset' + \"captured\" // trailing",
    [],
  ],
  ["ternary colon is not a key", "(a) => ({ k: a ? yes : no })", ["yes", "no"]],
  [
    "dynamic import",
    "async () => { const { createHash } = await import('node:crypto'); return createHash }",
    [],
  ],
  [
    "switch cases read variables",
    "(x) => { switch (x) { case LIMIT: return 1; default: return 2 } }",
    ["LIMIT"],
  ],
  ["arrow body after declaration", "() => { const f = (a) => a, g = b; return f(g) }", ["b"]],
];

describe("findUndeclared", () => {
  for (const [name, source, expected] of SCENARIOS) {
    test(name, () => {
      assert.deepEqual(findUndeclared(source).references, expected);
    });
  }
});

describe("functionSpec", () => {
  test("a self-contained function crosses as its source", () => {
    const spec = functionSpec((a: number, b: number) => a + b, "test");
    assert.equal(spec.kind, "source");
    assert.equal(spec.kind === "source" && new Function(`return (${spec.source})`)()(1, 2), 3);
  });

  test("a function that captures a variable is refused with a TypeError naming it", () => {
    const offset = 3;
    const addOffset = (x: number) => x + offset;
    assert.throws(
      () => functionSpec(addOffset, "ThreadPoolExecutor.submit"),
      (e: Error) =>
        e instanceof TypeError &&
        e.message.includes('function "addOffset" captures variable "offset"') &&
        e.message.includes("ThreadPoolExecutor.submit") &&
        e.message.includes("moduleFunction("),
    );
  });

  test("several captured variables are all named", () => {
    const a = 1;
    const b = 2;
    assert.throws(() => functionSpec(() => a + b, "t"), /captures variables "a" and "b"/);
  });

  test("globals of the worker are not captures", () => {
    const spec = functionSpec(
      () => Math.max(Date.now(), Number(process.pid), new URL("x:y").href.length),
      "t",
    );
    assert.equal(spec.kind, "source");
  });

  test("method shorthand becomes a function expression", () => {
    const holder = {
      double(x: number) {
        return x * 2;
      },
      async *gen() {
        yield 1;
      },
    };
    const spec = functionSpec(holder.double, "t");
    assert.ok(spec.kind === "source" && spec.source.startsWith("function double(x)"));
    const gen = functionSpec(holder.gen, "t");
    assert.ok(gen.kind === "source" && gen.source.startsWith("async function* gen()"));
  });

  test("native and bound functions are refused: they have no source", () => {
    assert.throws(() => functionSpec(Math.max, "t"), /native or bound/);
    assert.throws(() => functionSpec(((x: number) => x).bind(null), "t"), /native or bound/);
  });

  test("classes and non-functions are refused", () => {
    class Foo {}
    assert.throws(() => functionSpec(Foo, "t"), /is a class/);
    assert.throws(
      () => functionSpec(42, "t"),
      /expected a function or a moduleFunction\(\.\.\.\), got number/,
    );
    assert.throws(() => functionSpec({ nope: 1 }, "t"), TypeError);
  });

  test("module functions and { module, export } references cross as a URL and a name", () => {
    const url = new URL("file:///tmp/work.js");
    const fn = moduleFunction<(x: number) => number>(url, "double");
    const { id, ...spec } = functionSpec(fn, "t");
    assert.equal(typeof id, "number");
    assert.deepEqual(spec, {
      kind: "module",
      href: "file:///tmp/work.js",
      exportName: "double",
      name: "double",
    });
    const { id: id2, ...plain } = functionSpec({ module: "/tmp/work.js" }, "t");
    assert.notEqual(id2, id, "every spec has its own id");
    assert.deepEqual(plain, {
      kind: "module",
      href: "file:///tmp/work.js",
      exportName: "default",
      name: "default",
    });
    assert.equal(functionSpec(fn, "t").id, id, "a function's spec is computed once");
  });

  test("a relative module path is refused: it has no meaning in a worker", () => {
    assert.throws(
      () => moduleFunction("./work.js", "x"),
      /new URL\("\.\/work\.js", import\.meta\.url\)/,
    );
  });
});

describe("function specs are shared by content", () => {
  test("an arrow made anew for every call gets one spec, so workers compile and keep it once", () => {
    const make = () => (x: number) => x + 1;
    const first = make();
    const second = make();
    assert.notEqual(first, second);
    // Ids were per function object: every call sent and compiled the source again, and every
    // worker cached each copy for good.
    assert.equal(functionSpec(second, "t"), functionSpec(first, "t"));
    const inc = (x: number) => x + 1;
    const add1 = (x: number) => x + 1;
    assert.notEqual(functionSpec(inc, "t").id, functionSpec(add1, "t").id, "names differ");
    const url = new URL("./fixtures/executors/work.js", import.meta.url);
    assert.equal(
      functionSpec({ module: url, export: "sha256" }, "t"),
      functionSpec({ module: url, export: "sha256" }, "t"),
    );
    assert.equal(
      functionSpec(moduleFunction(url, "sha256"), "t").id,
      functionSpec({ module: url.href, export: "sha256" }, "t").id,
    );
  });
});
