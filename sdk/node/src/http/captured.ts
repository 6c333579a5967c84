/** Errors already sent, so a framework hook that sees the same error again (Next's onRequestError) does not send it twice. */
const captured = new WeakSet<object>();

export function markCaptured(err: unknown): void {
  if (err !== null && typeof err === "object") captured.add(err);
}

export function wasCaptured(err: unknown): boolean {
  return err !== null && typeof err === "object" && captured.has(err);
}
