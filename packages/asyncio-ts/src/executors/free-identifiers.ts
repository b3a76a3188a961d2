/**
 * Finds the identifiers a function's source reads from an enclosing scope, so that a function
 * which captures variables is refused *before* it is sent to a worker, with an error that names
 * the variables (instead of a `ReferenceError` deep inside the worker).
 *
 * Design: a single pass over the tokens of `js-tokens.ts` with a stack of bracket frames
 * (block, object literal, class body, parameter list, binding pattern, ...). Every name is
 * classified as a reference, a declaration, or neither (keywords, property names after `.`,
 * object keys, class members, labels). Scopes are deliberately flat: a name declared anywhere
 * inside the function counts as local everywhere in it. That can miss a capture whose name is
 * also declared in some inner block (a false negative, caught later by the worker's own
 * `ReferenceError`), but it never reports a capture that is not one in ordinary code.
 * @module
 */
import { type Token, tokenize } from "./js-tokens.js";

/** Words that are never variable references. `arguments` is local to every non-arrow function. */
const KEYWORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else export extends " +
    "finally for function if import in instanceof new return super switch this throw try " +
    "typeof var void while with yield let static enum await implements package protected " +
    "interface private public null true false async get set of arguments accessor"
  ).split(" "),
);

/** Keywords after which `(` opens a condition or a loop head, never a parameter list. */
const CONTROL = new Set(["if", "while", "for", "switch", "with", "return", "typeof", "await"]);

/** Keywords after which `{` opens an object literal rather than a block. */
const OBJECT_AFTER = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "yield",
  "await",
  "extends",
]);

type FrameKind = "root" | "block" | "object" | "class" | "paren" | "array" | "template";

interface Frame {
  readonly kind: FrameKind;
  /** Names directly in this frame are bindings (parameter list or destructuring pattern). */
  readonly binding: boolean;
  /** In a binding frame or class body: after `=`, names are expressions until `,`/`;`. */
  afterEq: boolean;
  /** Open `?` of conditionals in this frame, so that their `:` is not taken for a key's. */
  ternary: number;
  /** State of a `var`/`let`/`const` declaration whose declarators live in this frame. */
  decl: "none" | "binding" | "after" | "init";
}

/** The result of the analysis. */
export interface IdentifierReport {
  /** Names read but never declared inside the source, in order of first use. */
  readonly references: string[];
  /** Names declared anywhere inside the source. */
  readonly declared: Set<string>;
}

/**
 * Lists the names that `source` (a function expression) reads without declaring them.
 * Globals are not filtered out here; the caller decides which names the worker provides.
 * @example
 * ```ts
 * findUndeclared("(x) => x + offset").references; // ["offset"]
 * ```
 */
export function findUndeclared(source: string): IdentifierReport {
  const tokens = tokenize(source);
  const match = matchBrackets(tokens);
  const refs = new Set<string>();
  const declared = new Set<string>();
  const stack: Frame[] = [frame("root", false)];
  let pendingClass = -1; // stack depth at which a `class` keyword awaits its body's `{`
  let lastColonTernary = false;

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const top = stack[stack.length - 1]!;

    if (tok.type === "punct") {
      const v = tok.value;
      if (v === "(" || v === "[" || v === "{" || v === "${") {
        stack.push(
          openFrame(tokens, i, match, top, pendingClass === stack.length, lastColonTernary),
        );
        if (v === "{" && pendingClass === stack.length - 1) pendingClass = -1;
      } else if (v === ")" || v === "]" || v === "}") {
        const closed = stack.pop()!;
        if (stack.length === 0) stack.push(frame("root", false)); // unbalanced input: keep going
        const parent = stack[stack.length - 1]!;
        if (closed.binding && parent.decl === "binding") parent.decl = "after";
        if (parent.kind === "class" && v === "}") parent.afterEq = false;
      } else if (v === "=") {
        if (top.binding || top.kind === "class") top.afterEq = true;
        if (top.decl === "after") top.decl = "init";
      } else if (v === ",") {
        top.afterEq = false;
        if (top.decl === "after" || top.decl === "init") top.decl = "binding";
      } else if (v === ";") {
        top.afterEq = false;
        top.decl = "none";
      } else if (v === "?") {
        top.ternary++;
      }
      lastColonTernary = false;
      if (v === ":" && top.ternary > 0) {
        top.ternary--;
        lastColonTernary = true;
      }
      continue;
    }
    lastColonTernary = false;
    if (tok.type !== "name") continue;

    // A line break that ends a declaration by automatic semicolon insertion.
    if (tok.nl && top.decl === "init" && endsExpression(prev)) top.decl = "none";
    if (tok.nl && top.kind === "class" && top.afterEq && endsExpression(prev)) top.afterEq = false;

    const name = tok.value;
    if (name === "var" || name === "let" || name === "const") {
      top.decl = "binding";
      continue;
    }
    if ((name === "of" || name === "in") && top.decl !== "none") {
      top.decl = "none";
      continue;
    }
    if (name === "class") {
      pendingClass = stack.length;
      if (next?.type === "name" && next.value !== "extends") declared.add(next.value);
      continue;
    }
    if (name === "function") {
      const named = next?.value === "*" ? tokens[i + 2] : next;
      if (named?.type === "name") declared.add(named.value);
      continue;
    }
    if (KEYWORDS.has(name)) continue;
    if (prev?.type === "punct" && (prev.value === "." || prev.value === "?.")) continue;
    if (prev?.type === "name" && (prev.value === "break" || prev.value === "continue")) {
      if (!tok.nl) continue; // a label, not a variable
    }
    if (next?.value === "=>" && next.type === "punct") {
      declared.add(name); // `x => ...`
      continue;
    }
    if (isLabel(top, prev, next, tok)) continue;
    if (top.kind === "object" && !top.binding && isObjectKey(prev, next)) continue;
    if (top.kind === "class" && !top.afterEq) continue; // a member name or modifier
    if (top.decl === "binding") {
      declared.add(name);
      top.decl = "after";
      continue;
    }
    if (top.binding && !top.afterEq) {
      if (top.kind === "object" && next?.value === ":") continue; // `{ key: binding }`
      declared.add(name);
      continue;
    }
    refs.add(name);
  }
  for (const d of declared) refs.delete(d);
  return { references: [...refs], declared };
}

function frame(kind: FrameKind, binding: boolean): Frame {
  return { kind, binding, afterEq: false, ternary: 0, decl: "none" };
}

/** Decides what the bracket at `i` opens. */
function openFrame(
  tokens: Token[],
  i: number,
  match: Int32Array,
  top: Frame,
  isClassBody: boolean,
  afterTernaryColon: boolean,
): Frame {
  const tok = tokens[i]!;
  const prev = tokens[i - 1];
  const inPattern = (top.binding && !top.afterEq) || top.decl === "binding";
  if (tok.value === "${") return frame("template", false);
  if (tok.value === "[") return frame("array", inPattern);
  if (tok.value === "(") return frame("paren", isParameterList(tokens, i, match, top));
  if (isClassBody) return frame("class", false);
  if (inPattern) return frame("object", true);
  return frame(braceIsObject(prev, top, afterTernaryColon) ? "object" : "block", false);
}

/** Whether the `(` at `i` opens a parameter list (an arrow's, a function's or a method's). */
function isParameterList(tokens: Token[], i: number, match: Int32Array, top: Frame): boolean {
  const prev = tokens[i - 1];
  const after = tokens[match[i]! + 1];
  if (after?.type === "punct" && after.value === "=>") return true;
  if (prev?.type === "name" && prev.value === "catch") return true;
  if (after?.type !== "punct" || after.value !== "{") return false;
  if (prev === undefined) return false;
  if (prev.type === "name") {
    if (prev.value === "function" || tokens[i - 2]?.value === "function") return true;
    if (CONTROL.has(prev.value)) return false;
    return !after.nl; // `name(params) {`: a method
  }
  if (prev.type === "punct" && prev.value === "*") return true;
  const memberContext = top.kind === "class" || top.kind === "object";
  return memberContext && !after.nl && (prev.value === "]" || prev.type === "string");
}

/** Whether a `{` after `prev` opens an object literal (otherwise a block). */
function braceIsObject(prev: Token | undefined, top: Frame, afterTernaryColon: boolean): boolean {
  if (prev === undefined) return false;
  if (prev.type === "name") return OBJECT_AFTER.has(prev.value);
  if (prev.type !== "punct") return false;
  switch (prev.value) {
    case ")":
    case "=>":
    case ";":
    case "{":
    case "}":
      return false;
    case ":":
      return afterTernaryColon || top.kind === "object";
    default:
      return true;
  }
}

/** `name` in `{ name: v }`, `{ name() {} }`, `{ get name() {} }` and their modifiers. */
function isObjectKey(prev: Token | undefined, next: Token | undefined): boolean {
  const p = prev?.value;
  const afterSeparator = p === "{" || p === "," || p === "*";
  const afterModifier = prev?.type === "name" && (p === "get" || p === "set" || p === "async");
  if (!afterSeparator && !afterModifier) return false;
  return next?.type === "punct" && (next.value === ":" || next.value === "(");
}

function isLabel(top: Frame, prev: Token | undefined, next: Token | undefined, tok: Token) {
  if (next?.type !== "punct" || next.value !== ":") return false;
  if (top.kind !== "block" && top.kind !== "root") return false;
  if (top.ternary > 0) return false;
  return prev === undefined || tok.nl || [";", "{", "}"].includes(prev.value);
}

/** Whether `tok` can end an expression (so a line break after it may end the statement). */
function endsExpression(tok: Token | undefined): boolean {
  if (tok === undefined) return false;
  if (tok.type === "punct") return [")", "]", "}", "++", "--"].includes(tok.value);
  if (tok.type === "name")
    return !KEYWORDS.has(tok.value) || ["this", "null", "true", "false"].includes(tok.value);
  return true;
}

/** For every opening bracket, the index of its closing bracket (or `tokens.length`). */
function matchBrackets(tokens: Token[]): Int32Array {
  const match = new Int32Array(tokens.length).fill(tokens.length);
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== "punct") continue;
    if (t.value === "(" || t.value === "[" || t.value === "{" || t.value === "${") open.push(i);
    else if (t.value === ")" || t.value === "]" || t.value === "}") {
      const o = open.pop();
      if (o !== undefined) match[o] = i;
    }
  }
  return match;
}
