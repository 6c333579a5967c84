"use client";

import { useParams } from "next/navigation";
import { ErrorGroupDetail } from "@/components/dashboards/error-detail";

export default function ErrorGroupPage() {
  const { groupId } = useParams<{ groupId: string }>();
  return <ErrorGroupDetail groupId={groupId} />;
}
