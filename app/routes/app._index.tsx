import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Alert, Badge, Card, DescriptionList, PageHeader, formatDate } from "~/components/ui";
import { requireTenant } from "~/lib/guards.server";
import { getDashboard } from "~/modules/orgs/dashboard.server";
import { MEMBER_ROLE_LABELS, ORGANIZATION_KIND_LABELS, ORGANIZATION_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Dashboard · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  return getDashboard(context.db, tenant);
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader
        title={d.organization.name}
        description={`${ORGANIZATION_KIND_LABELS[d.organization.kind]} dashboard · your role: ${MEMBER_ROLE_LABELS[d.role]}`}
        actions={<Badge tone={d.organization.status} label={ORGANIZATION_STATUS_LABELS[d.organization.status]} />}
      />
      {params.has("verified") ? (
        <div className="mb-6">
          <Alert tone="success">Your email address is verified.</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Getting started" className="lg:col-span-2">
          <ol className="space-y-3">
            {d.checklist.map((step) => (
              <li key={step.label} className="flex items-start gap-3 text-sm">
                <span className={step.done ? "text-emerald-600" : "text-zinc-400"} aria-hidden>
                  {step.done ? "✓" : "○"}
                </span>
                <span className={step.done ? "text-zinc-500 line-through" : "text-zinc-800"}>
                  {step.href && !step.done ? (
                    <Link to={step.href} className="font-medium text-indigo-600 hover:underline">
                      {step.label}
                    </Link>
                  ) : (
                    step.label
                  )}
                </span>
              </li>
            ))}
          </ol>
        </Card>
        <Card title="Organization">
          <DescriptionList
            items={[
              ["Status", <Badge key="s" tone={d.organization.status} label={ORGANIZATION_STATUS_LABELS[d.organization.status]} />],
              ["Handle", d.organization.slug],
              ["Team", `${d.memberCount} member${d.memberCount === 1 ? "" : "s"}`],
              ["Since", formatDate(d.organization.createdAt)],
            ]}
          />
        </Card>
      </div>
    </>
  );
}
