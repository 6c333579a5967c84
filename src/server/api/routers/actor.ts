import type { AuditActor } from "../../audit/record";

/** The audit actor of a signed-in procedure, with its user id known to be present. */
export function signedInActor(ctx: { user: { id: string }; actor: AuditActor }): AuditActor & { userId: string } {
  return { ...ctx.actor, userId: ctx.user.id };
}
