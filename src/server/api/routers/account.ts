import { getAccount } from "../../accounts/me";
import { z } from "zod";
import { confirmSignUp, signUpUser, ZConfirmToken } from "../../accounts/sign-up";
import { ZSignUp } from "../../accounts/validation";
import { listOwnAccountEvents } from "../../audit/query";
import { pool } from "../../db/pool";
import { limitAction } from "../../ratelimit/actions";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUp.and(z.object({ invitationToken: z.string().max(200).optional() }))).mutation(async ({ ctx, input }) => {
    await (ctx.ip ? limitAction("signUp", ctx.ip) : limitAction("signUpUnknownIp", "all"));
    const { invitationToken, ...signUp } = input;
    return signUpUser({ input: signUp, invitationToken, origin: ctx.origin, from: { ip: ctx.ip, userAgent: ctx.userAgent } });
  }),

  /** The link a sign-up e-mail carries: creates the account it stands for. */
  confirmSignUp: publicProcedure.input(z.object({ token: ZConfirmToken })).mutation(async ({ ctx, input }) => {
    await (ctx.ip ? limitAction("signUp", ctx.ip) : limitAction("signUpUnknownIp", "all"));
    return confirmSignUp({ token: input.token, from: { ip: ctx.ip, userAgent: ctx.userAgent } });
  }),

  me: protectedProcedure.query(({ ctx }) => getAccount({ userId: ctx.user.id })),

  /** The caller's own sign-ins, failed sign-ins and sign-outs (nobody else's, and no organisation's). */
  activity: protectedProcedure.query(({ ctx }) => listOwnAccountEvents(pool, { userId: ctx.user.id, email: ctx.user.email })),
});
