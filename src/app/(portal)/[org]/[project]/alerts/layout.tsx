import type { ReactNode } from "react";
import { AlertsNav } from "@/components/alerts/alerts-nav";

export default function AlertsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AlertsNav />
      {children}
    </>
  );
}
