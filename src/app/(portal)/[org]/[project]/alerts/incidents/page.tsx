import { IncidentsList } from "@/components/alerts/incidents";

export default function IncidentsPage() {
  return <IncidentsList />;
}
