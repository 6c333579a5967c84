/**
 * How an e-mail address is accepted everywhere (sign-up, sign-in, invitations): one identity rule
 * for accounts/ and tenancy/ alike.
 */
import { z } from "zod";

/** E-mails are compared and stored trimmed and lower-cased. */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "E-mail addresses are at most 254 characters")
  .pipe(z.email("Enter a valid e-mail address, like ada@example.com"));
