"use client";

import { RedactionSettings } from "@/components/dashboards/redaction-settings";

export default function RedactionPage() {
  return <RedactionSettings />;
}
