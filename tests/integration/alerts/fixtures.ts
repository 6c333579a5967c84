import { startFakeResend } from "../../fakes/resend";
import { startFakeSlack } from "../../fakes/slack";
import { startWebhookReceiver } from "../../fakes/webhook-receiver";

/**
 * Starts the recording fakes and points the app at them. Call before importing anything from src/
 * (env.ts reads the variables once). Private webhooks are allowed so deliveries reach loopback.
 */
export async function startAlertFakes(options: { allowPrivate?: boolean } = {}) {
  const resend = await startFakeResend();
  const slack = await startFakeSlack();
  const receiver = await startWebhookReceiver();
  process.env.RESEND_API_KEY = "re_test_alerts";
  process.env.RESEND_BASE_URL = resend.baseUrl;
  process.env.EMAIL_FROM = "Sightline <alerts@sightline.test>";
  process.env.NEXTAUTH_URL = "http://portal.test";
  process.env.ALERTS_ALLOW_PRIVATE_WEBHOOKS = options.allowPrivate === false ? "0" : "1";
  return { resend, slack, receiver, close: () => Promise.all([resend.close(), slack.close(), receiver.close()]) };
}

export const MINUTE = 60_000;
/** The current minute: tests evaluate at base + k minutes and send events stamped near it. */
export const baseMinute = () => new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
export const at = (base: Date, minutes: number, seconds = 0) => new Date(base.getTime() + minutes * MINUTE + seconds * 1000);
