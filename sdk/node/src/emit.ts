/**
 * Where SDK-built events go. The client installs its sender at load; modules the client itself
 * imports (fetch tracing → spans) reach it through here, so there is no import cycle back to it.
 */
import type { WireEvent } from "./transport.js";

type Sender = (event: WireEvent, options?: { redacted?: boolean }) => void;
let sender: Sender = () => {};

export function setSender(send: Sender): void {
  sender = send;
}

/** Sends one event through the initialised client (a no-op before `init`). Never throws. */
export function emit(event: WireEvent, options?: { redacted?: boolean }): void {
  sender(event, options);
}
