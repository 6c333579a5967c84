import { Resend } from "resend";
import { z } from "zod";
import { env } from "../env";
import { log } from "../log";

const ZEmailMessage = z.object({
  to: z.email(),
  subject: z.string().min(1).max(200),
  html: z.string().min(1),
  text: z.string().min(1),
});
type EmailMessage = z.infer<typeof ZEmailMessage>;

/** Whether the portal can send e-mail (RESEND_API_KEY is set). */
export const canSendEmail = (): boolean => Boolean(env.RESEND_API_KEY);

type SendEmailResult = { sent: true; id: string } | { sent: false; reason: "not_configured" | "failed" };

let client: Resend | null = null;
function resend(apiKey: string): Resend {
  client ??= new Resend(apiKey, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : undefined);
  return client;
}

/**
 * Sends one e-mail through Resend (RESEND_API_KEY; RESEND_BASE_URL to point at another API, as
 * the tests do). Without a key it sends nothing and says so; a failed send is logged and
 * reported, never thrown — callers always have another way to deliver (e.g. the copyable link).
 */
export async function sendEmail(message: EmailMessage): Promise<SendEmailResult> {
  const parsed = ZEmailMessage.parse(message);
  if (!env.RESEND_API_KEY) {
    log.info({ to: parsed.to, subject: parsed.subject }, "e-mail not sent: RESEND_API_KEY is unset");
    return { sent: false, reason: "not_configured" };
  }
  try {
    const { data, error } = await resend(env.RESEND_API_KEY).emails.send({ from: env.EMAIL_FROM, ...parsed });
    if (error || !data) {
      log.warn({ to: parsed.to, subject: parsed.subject, error }, "e-mail send failed");
      return { sent: false, reason: "failed" };
    }
    return { sent: true, id: data.id };
  } catch (err) {
    log.warn({ err, to: parsed.to, subject: parsed.subject }, "e-mail send failed");
    return { sent: false, reason: "failed" };
  }
}
