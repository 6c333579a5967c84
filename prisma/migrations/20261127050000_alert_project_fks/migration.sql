-- Alert and report rows belong to their project (or organisation): deleting one removes them.
-- Until now nothing tied them together, so rows of projects deleted before this migration are
-- orphans; they are removed first, or the constraints could not be added.
DELETE FROM "alert_deliveries" d WHERE NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = d."project_id");
DELETE FROM "alert_incidents" i WHERE NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = i."project_id");
DELETE FROM "alert_states" s WHERE NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = s."project_id");
DELETE FROM "alert_silences" s WHERE NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = s."project_id");
DELETE FROM "alert_rules" r WHERE NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = r."project_id");
DELETE FROM "alert_channels" c WHERE NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = c."project_id");
DELETE FROM "weekly_reports" w WHERE NOT EXISTS (SELECT 1 FROM "organizations" o WHERE o."id" = w."org_id");
DELETE FROM "report_opt_outs" r
 WHERE NOT EXISTS (SELECT 1 FROM "organizations" o WHERE o."id" = r."org_id")
    OR NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = r."user_id");

-- A cascading delete looks rows up by the referencing column: index the ones not yet leading an index.
CREATE INDEX "alert_silences_project_id_idx" ON "alert_silences"("project_id");
CREATE INDEX "alert_states_project_id_idx" ON "alert_states"("project_id");
CREATE INDEX "alert_deliveries_project_id_idx" ON "alert_deliveries"("project_id");
CREATE INDEX "report_opt_outs_user_id_idx" ON "report_opt_outs"("user_id");

ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_states" ADD CONSTRAINT "alert_states_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "weekly_reports" ADD CONSTRAINT "weekly_reports_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "report_opt_outs" ADD CONSTRAINT "report_opt_outs_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "report_opt_outs" ADD CONSTRAINT "report_opt_outs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
