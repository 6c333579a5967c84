const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The invitation e-mail: who invited whom to which organisation with which role, and the link. */
export function invitationEmail(options: { orgName: string; inviterName: string; role: string; acceptUrl: string; expiresAt: Date }) {
  const { orgName, inviterName, role, acceptUrl, expiresAt } = options;
  const subject = `${inviterName} invited you to ${orgName} on Sightline`;
  const expires = expiresAt.toUTCString();
  const text = [
    `${inviterName} invited you to join ${orgName} on Sightline as ${role}.`,
    "",
    `Accept the invitation: ${acceptUrl}`,
    "",
    `The link expires ${expires}. If you did not expect this, ignore this e-mail.`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827">
<p><strong>${escapeHtml(inviterName)}</strong> invited you to join <strong>${escapeHtml(orgName)}</strong> on Sightline as <strong>${escapeHtml(role)}</strong>.</p>
<p><a href="${escapeHtml(acceptUrl)}" style="display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">Accept invitation</a></p>
<p style="color:#6b7280;font-size:13px">Or paste this link into your browser: ${escapeHtml(acceptUrl)}<br>The link expires ${escapeHtml(expires)}. If you did not expect this, ignore this e-mail.</p>
</body></html>`;
  return { subject, text, html };
}

/** The link that finishes a sign-up (sent only to the address being signed up). */
export function confirmSignUpEmail(options: { name: string; confirmUrl: string }) {
  const subject = "Confirm your e-mail to create your Sightline account";
  const text = [
    `Hello ${options.name},`,
    "",
    `Finish creating your Sightline account: ${options.confirmUrl}`,
    "",
    "The link works once and expires in 24 hours. If you did not sign up, ignore this e-mail.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827">
<p>Hello ${escapeHtml(options.name)},</p>
<p><a href="${escapeHtml(options.confirmUrl)}" style="display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">Create my account</a></p>
<p style="color:#6b7280;font-size:13px">Or paste this link into your browser: ${escapeHtml(options.confirmUrl)}<br>The link works once and expires in 24 hours. If you did not sign up, ignore this e-mail.</p>
</body></html>`;
  return { subject, text, html };
}

/** What someone signing up with an address that already has an account gets instead (only its owner reads it). */
export function accountExistsEmail(options: { signInUrl: string }) {
  const subject = "You already have a Sightline account";
  const text = [
    "Someone (probably you) tried to create a Sightline account with this e-mail address, which already has one.",
    "",
    `Sign in instead: ${options.signInUrl}`,
    "",
    "If it was not you, nothing has changed and you can ignore this e-mail.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827">
<p>Someone (probably you) tried to create a Sightline account with this e-mail address, which already has one.</p>
<p><a href="${escapeHtml(options.signInUrl)}">Sign in instead</a></p>
<p style="color:#6b7280;font-size:13px">If it was not you, nothing has changed and you can ignore this e-mail.</p>
</body></html>`;
  return { subject, text, html };
}
