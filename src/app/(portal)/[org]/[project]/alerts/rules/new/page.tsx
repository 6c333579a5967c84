import { NewRule } from "@/components/alerts/rule-page";

export default function NewAlertRulePage() {
  return <NewRule />;
}
