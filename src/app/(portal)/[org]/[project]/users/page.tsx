"use client";

import { UsersDashboard } from "@/components/dashboards/users";
import { PageHeader } from "@/components/ui/states";

export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users and usage" description="Active users, the heaviest users and which features they use." />
      <UsersDashboard />
    </>
  );
}
