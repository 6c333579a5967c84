import { ReportView } from "@/components/reports/reports";

export default async function WeeklyReportPage({ params }: { params: Promise<{ reportId: string }> }) {
  const { reportId } = await params;
  return <ReportView id={reportId} />;
}
