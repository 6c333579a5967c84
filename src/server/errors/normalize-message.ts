/**
 * Message templating for grouping (Sentry's message normalisation): variable parts become
 * placeholders so "User 123 not found" and "User 456 not found" group together. Order matters:
 * the most specific shapes are replaced first.
 */
const RULES: [RegExp, string][] = [
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, "<url>"],
  [/\b00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b/gi, "<traceparent>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b[0-9a-f]{40}\b/gi, "<sha1>"],
  [/\b[0-9a-f]{32}\b/gi, "<md5>"],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, "<date>"],
  [/\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g, "<time>"],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, "<ip>"],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?![\w:])/gi, "<ip>"],
  [/\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|dev|app|internal|local|cloud|ai|co|uk|de)\b(?::\d+)?/gi, "<host>"],
  [/\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours)\b/g, "<duration>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,128}\b/gi, "<hex>"],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7}\b/gi, "<sha>"],
  [/-?\b\d+\.\d+\b/g, "<float>"],
  [/-?\b\d+\b/g, "<int>"],
];

export function normalizeMessage(message: string): string {
  let out = message.slice(0, 4096);
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  return out.trim();
}
