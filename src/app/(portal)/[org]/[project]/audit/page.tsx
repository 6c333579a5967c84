"use client";

import { AppAuditTrail } from "@/components/audit/app-audit";
import { PageHeader } from "@/components/ui/states";

export default function AppAuditPage() {
  return (
    <>
      <PageHeader
        title="Audit"
        description="Your app's own audit trail (its audit events), newest first: hash-chained and checkpointed like the portal's own log, kept whatever the retention, provable entry by entry."
      />
      <AppAuditTrail />
    </>
  );
}
