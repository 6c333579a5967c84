"use client";

import { OverviewDashboard } from "@/components/dashboards/overview";

export default function ProjectHomePage() {
  return <OverviewDashboard />;
}
