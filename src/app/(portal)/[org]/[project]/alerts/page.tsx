import { RulesList } from "@/components/alerts/rules-list";

export default function AlertRulesPage() {
  return <RulesList />;
}
