/**
 * A small JavaScript tokenizer, just precise enough to find the identifiers of a function's
 * source text (see `free-identifiers.ts`). It knows comments, strings, template literals
 * (with nested `${...}` expressions), regular expression literals versus division, numbers,
 * private names and punctuators. It never evaluates anything.
 *
 * Template substitutions are emitted as the brackets `${` ... `}` so that bracket matching
 * treats them like parentheses; the literal parts of templates are dropped.
 * @module
 */

/** One token. `nl` is true when a line break separates it from the previous token. */
export interface Token {
  readonly type: "name" | "punct" | "string" | "number" | "regex" | "private" | "template";
  readonly value: string;
  readonly nl: boolean;
  /** Offset of the token's first character in the source. */
  readonly start: number;
}

const PUNCTUATORS = [
  ">>>=",
  "...",
  "===",
  "!==",
  "**=",
  "<<=",
  ">>=",
  ">>>",
  "&&=",
  "||=",
  "??=",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**",
  "<<",
  ">>",
];

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_NAME = new Set([
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
  "do",
  "else",
  "yield",
  "await",
]);

const NAME_START = /[A-Za-z_$\u0080-\uffff\\]/;
const NAME_PART = /[\w$\u0080-\uffff\\]/;
const NUMBER = /0[xXoObB][\da-fA-F_]+n?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?n?/y;

/**
 * Splits `source` into tokens.
 * @throws SyntaxError on an unterminated string, template, regex or comment.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // Invariant: one entry per open `{` or `${`; `true` marks a template substitution, whose
  // closing `}` resumes the template's literal text.
  const braces: boolean[] = [];
  let i = 0;
  let nl = false;
  const n = source.length;
  const push = (type: Token["type"], value: string) => {
    tokens.push({ type, value, nl, start: i - value.length });
    nl = false;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`unterminated ${what} at offset ${i} of the function's source`);
  };

  // Scans template literal text from `i` (just after "`" or a substitution's "}").
  const templateText = () => {
    while (i < n) {
      const c = source[i];
      if (c === "\\") {
        i += 2;
      } else if (c === "`") {
        i++;
        push("template", "`");
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        push("punct", "${");
        braces.push(true);
        return;
      } else {
        i++;
      }
    }
    fail("template literal");
  };

  while (i < n) {
    const c = source[i]!;
    if (c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029") {
      nl = true;
      i++;
    } else if (c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\ufeff" || c <= " ") {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n" && source[i] !== "\r") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) fail("comment");
      if (/[\n\r\u2028\u2029]/.test(source.slice(i, end))) nl = true;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < n && source[i] !== c) {
        if (source[i] === "\\") i++;
        i++;
      }
      if (i >= n) fail("string");
      i++;
      push("string", source.slice(start, i));
    } else if (c === "`") {
      i++;
      push("template", "`");
      templateText();
    } else if (NAME_START.test(c)) {
      const start = i++;
      while (i < n && NAME_PART.test(source[i]!)) i++;
      push("name", source.slice(start, i));
    } else if (c === "#" && i + 1 < n && NAME_START.test(source[i + 1]!)) {
      const start = i++;
      while (i < n && NAME_PART.test(source[i]!)) i++;
      push("private", source.slice(start, i));
    } else if ((c >= "0" && c <= "9") || (c === "." && /\d/.test(source[i + 1] ?? ""))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source);
      i += m ? m[0].length : 1;
      push("number", source.slice(i - (m ? m[0].length : 1), i));
    } else if (c === "/" && regexAllowed(tokens[tokens.length - 1])) {
      const start = i++;
      let inClass = false;
      while (i < n) {
        const d = source[i];
        if (d === "\\") i++;
        else if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        else if (d === "\n") fail("regular expression");
        i++;
      }
      if (i >= n) fail("regular expression");
      i++;
      while (i < n && NAME_PART.test(source[i]!)) i++;
      push("regex", source.slice(start, i));
    } else if (c === "{") {
      i++;
      braces.push(false);
      push("punct", "{");
    } else if (c === "}") {
      i++;
      if (braces.pop()) {
        push("punct", "}");
        templateText();
      } else {
        push("punct", "}");
      }
    } else {
      let p = c;
      for (const candidate of PUNCTUATORS) {
        if (source.startsWith(candidate, i)) {
          // `a?.5:b` is a conditional, not optional chaining.
          if (candidate === "?." && /\d/.test(source[i + 2] ?? "")) continue;
          p = candidate;
          break;
        }
      }
      i += p.length;
      push("punct", p);
    }
  }
  return tokens;
}

function regexAllowed(prev: Token | undefined): boolean {
  if (prev === undefined) return true;
  switch (prev.type) {
    case "name":
      return REGEX_AFTER_NAME.has(prev.value);
    case "punct":
      return prev.value !== ")" && prev.value !== "]" && prev.value !== "}";
    case "template":
      // After an opening backtick we are inside text; after a closing one, a value ended.
      return false;
    default:
      return false;
  }
}
