import { ReportsPage } from "@/components/reports/reports";

export default function WeeklyReportsPage() {
  return <ReportsPage />;
}
