/**
 * loguru's brace formatting: `"User {user} paid {amount}"` with `{ user, amount }` becomes the
 * message, while the fields stay structured. `{{` and `}}` are literal braces; a name with no
 * field is left as written. Dotted names reach into objects (`{user.id}`).
 */
const cache = new Map<string, (string | { name: string[] })[]>();
const MAX_CACHED = 1000;

function compile(template: string): (string | { name: string[] })[] {
  const parts: (string | { name: string[] })[] = [];
  let literal = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "{" && template[i + 1] === "{") {
      literal += "{";
      i++;
    } else if (c === "}" && template[i + 1] === "}") {
      literal += "}";
      i++;
    } else if (c === "{") {
      const end = template.indexOf("}", i + 1);
      const name = end > i ? template.slice(i + 1, end) : "";
      if (end < 0 || !/^[\w$.-]+$/.test(name)) {
        literal += c;
        continue;
      }
      if (literal) parts.push(literal);
      literal = "";
      parts.push({ name: name.split(".") });
      i = end;
    } else literal += c;
  }
  if (literal) parts.push(literal);
  return parts;
}

export function stringifyValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value === null || typeof value !== "object") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function formatMessage(template: string, fields: Record<string, unknown> | undefined): string {
  if (!template.includes("{") && !template.includes("}")) return template;
  let parts = cache.get(template);
  if (!parts) {
    parts = compile(template);
    if (cache.size < MAX_CACHED) cache.set(template, parts);
  }
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    let value: unknown = fields;
    for (const seg of part.name) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[seg] : undefined;
    out += value === undefined ? `{${part.name.join(".")}}` : stringifyValue(value);
  }
  return out;
}
