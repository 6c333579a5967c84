import { SilencesPage } from "@/components/alerts/silences";

export default function AlertSilencesPage() {
  return <SilencesPage />;
}
