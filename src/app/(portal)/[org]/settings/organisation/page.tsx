"use client";

import { DeleteOrgPanel } from "@/components/org/delete-org";
import { PageHeader } from "@/components/ui/states";

export default function OrganisationSettingsPage() {
  return (
    <>
      <PageHeader title="Organisation" description="Settings that concern the whole organisation." />
      <DeleteOrgPanel />
    </>
  );
}
