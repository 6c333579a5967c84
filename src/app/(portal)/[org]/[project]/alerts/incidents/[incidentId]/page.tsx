import { IncidentDetail } from "@/components/alerts/incident-detail";

export default async function IncidentPage({ params }: { params: Promise<{ incidentId: string }> }) {
  const { incidentId } = await params;
  return <IncidentDetail id={incidentId} />;
}
