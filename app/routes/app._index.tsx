import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { ConversionTable } from "~/components/conversion";
import { Alert, Badge, Card, DescriptionList, PageHeader, formatDate } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { formatMoney } from "~/lib/money";
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
        <div className="space-y-6 lg:col-span-2">
          {d.checklist ? (
            <Card title="Getting started">
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
          ) : null}
          <Activity activity={d.activity} kind={d.organization.kind} />
        </div>
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

type Dashboard = ReturnType<typeof useLoaderData<typeof loader>>;

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 break-words rounded-lg bg-white p-4 shadow-sm ring-1 ring-zinc-200">
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <div className="mt-1 text-xl font-semibold text-zinc-900">{children}</div>
    </div>
  );
}

/** One line per currency: amounts in different currencies are never added up. */
function PerCurrency({ amounts }: { amounts: { currency: string; minor: number }[] }) {
  if (!amounts.length) return <>{formatCount(0)}</>;
  return (
    <>
      {amounts.map((a) => (
        <span key={a.currency} className="block">
          {formatMoney(a.minor, a.currency)}
        </span>
      ))}
    </>
  );
}

function Activity({ activity: a, kind }: { activity: Dashboard["activity"]; kind: "merchant" | "publisher" }) {
  const money = kind === "merchant" ? "cost" : "commission";
  return (
    <section className="space-y-4">
      <h2 className="text-base font-semibold text-zinc-900">Last {a.days} days</h2>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Clicks">
          {formatCount(a.clicks.clicks)}
          <span className="block text-xs font-normal text-zinc-500">{formatCount(a.clicks.uniqueClicks)} unique</span>
        </Figure>
        <Figure label="Conversions">{formatCount(a.conversions)}</Figure>
        <Figure label={`Pending ${money}`}>
          <PerCurrency amounts={a.money.map((m) => ({ currency: m.currency, minor: m.pendingMinor }))} />
        </Figure>
        <Figure label={`Approved ${money}`}>
          <PerCurrency amounts={a.money.map((m) => ({ currency: m.currency, minor: m.approvedMinor }))} />
        </Figure>
      </div>
      <Card title="Latest conversions">
        {a.latest.length ? (
          <ConversionTable
            rows={a.latest}
            viewer={kind}
            columns={kind === "merchant" ? ["offer", "publisher", "status", "cost"] : ["offer", "merchant", "status", "commission"]}
          />
        ) : (
          <p className="text-sm text-zinc-500">
            No conversions yet.{" "}
            {kind === "merchant" ? (
              <Link to="/app/integration" className="text-indigo-600">
                Set up postbacks
              </Link>
            ) : (
              <Link to="/app/partnerships" className="text-indigo-600">
                Get your tracking links
              </Link>
            )}
          </p>
        )}
        {a.latest.length ? (
          <Link to="/app/conversions" className="mt-4 inline-block text-sm font-semibold text-indigo-600">
            All conversions →
          </Link>
        ) : null}
      </Card>
    </section>
  );
}
