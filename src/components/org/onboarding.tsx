"use client";

import { CreateOrgForm } from "./create-org-dialog";

export function Onboarding() {
  return <CreateOrgForm onCreated={(slug) => window.location.assign(`/${slug}`)} />;
}
