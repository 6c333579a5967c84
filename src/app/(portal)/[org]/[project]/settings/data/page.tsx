"use client";

import { DataSettings } from "@/components/project/data-settings";

export default function DataPage() {
  return <DataSettings />;
}
