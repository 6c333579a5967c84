import { z } from "zod";
import { ZEmail } from "../auth/email";

const ZPersonName = z.string().trim().min(1, "Enter your name").max(100, "Names are at most 100 characters");

const PASSWORD_MIN_LENGTH = 10;

/** Why a password is too weak, or null when it is acceptable. */
export function passwordWeakness(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > 200) return "Use at most 200 characters";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 2) return "Mix at least two kinds of character (lower case, upper case, digits, symbols)";
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) return "The password must not be your e-mail address";
  return null;
}

export const ZSignUp = z.object({ email: ZEmail, password: z.string(), name: ZPersonName }).superRefine((value, ctx) => {
  const weakness = passwordWeakness(value.password, value.email);
  if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: weakness });
});
export type SignUpInput = z.infer<typeof ZSignUp>;
