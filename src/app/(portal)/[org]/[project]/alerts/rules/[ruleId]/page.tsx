import { RuleEditor } from "@/components/alerts/rule-page";

export default async function AlertRulePage({ params }: { params: Promise<{ ruleId: string }> }) {
  const { ruleId } = await params;
  return <RuleEditor id={ruleId} />;
}
