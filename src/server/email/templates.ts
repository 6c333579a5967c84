const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

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
