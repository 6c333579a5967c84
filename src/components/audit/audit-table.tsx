"use client";

import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Time } from "@/components/ui/time";
import type { AuditListItem } from "@/server/audit/query";

/** The row the audit router returns (type only: nothing server-side reaches the client bundle). */
type AuditRow = AuditListItem;

const col = createColumnHelper<AuditRow>();

function describeTarget(row: AuditRow): string {
  const meta = (row.metadata ?? {}) as Record<string, unknown>;
  const label = [meta.name, meta.targetName, meta.email, meta.prefix, meta.role].filter((v): v is string => typeof v === "string").join(" · ");
  if (label) return label;
  return row.targetType ? `${row.targetType}${row.targetId ? ` ${row.targetId.slice(0, 8)}` : ""}` : "—";
}

const columns = [
  col.accessor("createdAt", { header: "Time", cell: (c) => <Time value={c.getValue()} /> }),
  col.accessor("action", {
    header: "Action",
    cell: (c) => {
      // Apps' audit events carry an outcome; the portal's own failures say so in the action.
      const outcome = (c.row.original.metadata as { outcome?: unknown } | null)?.outcome;
      const failed = c.getValue().includes("failed") || outcome === "failure" || outcome === "denied";
      return (
        <span className="inline-flex items-center gap-1.5">
          <code className={`rounded px-1.5 py-0.5 font-mono text-xs ${failed ? "bg-red-50 text-red-700" : "bg-gray-100 text-gray-800"}`}>{c.getValue()}</code>
          {typeof outcome === "string" && outcome !== "success" && <span className="text-xs font-medium text-red-700">{outcome}</span>}
        </span>
      );
    },
  }),
  col.accessor("actorEmail", { header: "Actor", cell: (c) => c.getValue() ?? <span className="text-gray-400">system</span> }),
  col.display({ id: "target", header: "Target", cell: (c) => <span className="text-gray-600">{describeTarget(c.row.original)}</span> }),
  col.accessor("ip", { header: "IP", cell: (c) => <span className="font-mono text-xs text-gray-500">{c.getValue() ?? "—"}</span> }),
  col.accessor("userAgent", {
    header: "User agent",
    cell: (c) => (
      <span className="block max-w-[14rem] truncate text-xs text-gray-500" title={c.getValue() ?? undefined}>
        {c.getValue() ?? "—"}
      </span>
    ),
  }),
];

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.id });
  return (
    <div className="overflow-x-auto">
      <table aria-label="Audit log" className="min-w-full divide-y divide-gray-200 text-sm">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  className="whitespace-nowrap px-3 py-2.5 text-left text-xs font-medium uppercase tracking-wide text-gray-500 first:pl-0"
                >
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-t border-gray-100">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="whitespace-nowrap px-3 py-2.5 text-gray-700 first:pl-0">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
