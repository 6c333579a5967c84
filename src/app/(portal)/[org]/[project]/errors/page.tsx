"use client";

import { ErrorsDashboard } from "@/components/dashboards/errors-list";
import { PageHeader } from "@/components/ui/states";

export default function ErrorsPage() {
  return (
    <>
      <PageHeader title="Errors" description="Exceptions grouped by fingerprint. Open a group for its stack trace, releases and trace." />
      <ErrorsDashboard />
    </>
  );
}
