import { Link } from "@remix-run/react";
import { Badge, formatDate, Table } from "./ui";
import { ORGANIZATION_KIND_LABELS, ORGANIZATION_STATUS_LABELS, labelOf } from "~/lib/labels";

type OrganizationRow = {
  organization: { id: string; name: string; kind: string; slug: string; status: string; createdAt: string | Date };
  members: number;
  ownerEmail: string | null;
  ownerVerified: boolean;
  /** A merchant with an open invoice past its due date. */
  overdue?: boolean;
};

export function OrganizationTable({ rows, empty }: { rows: OrganizationRow[]; empty: string }) {
  if (!rows.length) return <p className="py-6 text-center text-sm text-zinc-500">{empty}</p>;
  return (
    <Table columns={["Organization", "Kind", "Owner", "Members", "Status", "Created"]}>
      {rows.map(({ organization: o, members, ownerEmail, ownerVerified, overdue }) => (
        <tr key={o.id}>
          <td className="py-3">
            <Link to={`/staff/organizations/${o.id}`} className="font-medium text-indigo-600 hover:underline">
              {o.name}
            </Link>
          </td>
          <td className="py-3">{labelOf(ORGANIZATION_KIND_LABELS, o.kind)}</td>
          <td className="py-3 text-zinc-600">
            {ownerEmail ?? "—"} {ownerEmail && !ownerVerified ? <Badge tone="unverified" label="email unverified" /> : null}
          </td>
          <td className="py-3">{members}</td>
          <td className="py-3">
            <Badge tone={o.status} label={labelOf(ORGANIZATION_STATUS_LABELS, o.status)} />{" "}
            {overdue ? <Badge tone="rejected" label="Overdue" /> : null}
          </td>
          <td className="py-3 text-zinc-600">{formatDate(o.createdAt)}</td>
        </tr>
      ))}
    </Table>
  );
}
