import { createProject, deleteProject, getProject, listProjects, updateProject, ZCreateProject, ZUpdateProject } from "../../tenancy/projects";
import { createTRPCRouter, orgProcedure, projectProcedure } from "../trpc";

export const projectRouter = createTRPCRouter({
  list: orgProcedure("projects:read").query(({ ctx }) => listProjects({ org: ctx.org })),

  create: orgProcedure("projects:create")
    .input(ZCreateProject)
    .mutation(({ ctx, input }) => createProject({ org: ctx.org, input, actor: ctx.actor })),

  get: projectProcedure("projects:read").query(({ ctx }) => getProject({ project: ctx.project })),

  update: projectProcedure("projects:update")
    .input(ZUpdateProject)
    .mutation(({ ctx, input }) => updateProject({ project: ctx.project, input, actor: ctx.actor })),

  delete: projectProcedure("projects:delete").mutation(({ ctx }) => deleteProject({ project: ctx.project, actor: ctx.actor })),
});
