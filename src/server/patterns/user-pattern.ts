/**
 * Regular expressions that tenants write (redaction rules, price-match patterns) run in re2js, a
 * linear-time engine: a JavaScript RegExp backtracks, so one tenant's `(a+)+$` against a long line
 * would block the event loop for every tenant. RE2 syntax has no look-around or back-references;
 * patterns that need them are refused when saved, with the engine's reason.
 */
import { RE2JS } from "re2js";

export type UserPattern = {
  source: string;
  /** Whether the pattern matches anywhere in `text`. */
  test: (text: string) => boolean;
  /** `text` with every match replaced by `replacement` (taken literally). */
  replaceAll: (text: string, replacement: string) => string;
};

export class PatternError extends Error {}

/** Compiles `pattern` (a leading `(?i)` or `caseInsensitive` ignores case); throws PatternError saying why it cannot run. */
export function compileUserPattern(pattern: string, options: { caseInsensitive?: boolean } = {}): UserPattern {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, "");
    throw new PatternError(`${reason} (patterns use RE2 syntax: no look-around or back-references)`);
  }
  const literal = RE2JS.quoteReplacement;
  return {
    source: pattern,
    test: (text) => compiled.test(text),
    replaceAll: (text, replacement) => compiled.matcher(text).replaceAll(literal(replacement)),
  };
}
