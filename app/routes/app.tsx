import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData } from "@remix-run/react";
import { NavTabs } from "~/components/nav-tabs";
import { Alert, Badge } from "~/components/ui";
import { requireTenant } from "~/lib/guards.server";
import { listUserOrganizations } from "~/modules/orgs/tenant.server";
import { ORGANIZATION_KIND_LABELS, ORGANIZATION_STATUS_LABELS, labelOf } from "~/lib/labels";
import { useNonce } from "~/lib/nonce";
import { TIME_ZONE_SCRIPT } from "~/lib/time-zone";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { auth, tenant } = await requireTenant(request, context);
  const organizations = await listUserOrganizations(context.db, auth.user.id);
  return {
    user: { name: auth.user.name, email: auth.user.email, isStaff: auth.user.isStaff },
    organization: tenant.organization,
    role: tenant.role,
    organizations: organizations.map((o) => ({ id: o.organization.id, name: o.organization.name, kind: o.organization.kind })),
  };
}

const common = [
  { to: "/app/profile", label: "Profile" },
  { to: "/app/team", label: "Team" },
  { to: "/app/account", label: "Account" },
];
/** Only owners and admins manage keys; members get the same 403 as other owner-only pages. */
const apiKeysTab = { to: "/app/api-keys", label: "API keys" };
const navByKind = {
  merchant: [
    { to: "/app", label: "Dashboard", end: true },
    { to: "/app/offers", label: "Offers" },
    { to: "/app/applications", label: "Applications" },
    { to: "/app/partners", label: "Partners" },
    { to: "/app/conversions", label: "Conversions" },
    { to: "/app/invoices", label: "Invoices" },
    { to: "/app/reports", label: "Reports" },
    { to: "/app/integration", label: "Integration" },
    ...common,
  ],
  publisher: [
    { to: "/app", label: "Dashboard", end: true },
    { to: "/app/marketplace", label: "Marketplace" },
    { to: "/app/applications", label: "Applications" },
    { to: "/app/partnerships", label: "Partnerships" },
    { to: "/app/conversions", label: "Conversions" },
    { to: "/app/reports", label: "Reports" },
    { to: "/app/postbacks", label: "Postbacks" },
    { to: "/app/payouts", label: "Payouts" },
    ...common,
  ],
};

export default function AppLayout() {
  const { user, organization, organizations, role } = useLoaderData<typeof loader>();
  const nav = role === "member" ? navByKind[organization.kind] : [...navByKind[organization.kind], apiKeysTab];
  const nonce = useNonce();
  return (
    <div className="min-h-screen">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto max-w-6xl space-y-2 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-3 sm:gap-6">
            <Link to="/app" className="font-bold text-indigo-600">
              Switchboard
            </Link>
            <Form method="post" action="/app/switch" className="flex min-w-0 flex-1 items-center gap-2 sm:flex-none">
              <label htmlFor="organizationId" className="sr-only">
                Organization
              </label>
              <select
                id="organizationId"
                name="organizationId"
                defaultValue={organization.id}
                onChange={(e) => e.currentTarget.form?.requestSubmit()}
                className="w-full min-w-0 truncate rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-zinc-300"
              >
                {organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} ({ORGANIZATION_KIND_LABELS[o.kind].toLowerCase()})
                  </option>
                ))}
              </select>
              <noscript>
                <button className="text-sm">Switch</button>
              </noscript>
            </Form>
            <div className="flex items-center gap-4 text-sm sm:ml-auto">
              <span className="hidden text-zinc-500 md:inline">{user.email}</span>
              <Form method="post" action="/logout">
                <button className="whitespace-nowrap font-medium text-zinc-700 hover:text-zinc-900">Log out</button>
              </Form>
            </div>
          </div>
          {/* One row at every width: on a phone it scrolls sideways inside itself. */}
          <div className="-mx-3 flex items-center gap-4 overflow-x-auto px-0.5">
            <NavTabs items={nav} tone="light" />
            <div className="ml-auto flex shrink-0 items-center gap-4 whitespace-nowrap pr-3 text-sm">
              <Link to="/onboarding" className="text-zinc-600 hover:text-zinc-900">
                New organization
              </Link>
              {user.isStaff ? (
                <Link to="/staff" className="font-semibold text-indigo-600">
                  Staff console
                </Link>
              ) : null}
            </div>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
        <StatusBanner status={organization.status} reason={organization.statusReason} />
        <Outlet />
      </main>
      {/* Tells reports the browser's time zone (see app/lib/time-zone.ts). */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: TIME_ZONE_SCRIPT }} />
    </div>
  );
}

function StatusBanner({ status, reason }: { status: string; reason: string | null }) {
  if (status === "active") return null;
  const text =
    status === "pending_review"
      ? "The network team is reviewing your organization. Complete your profile so they can approve it; we email you when it is done."
      : status === "rejected"
        ? `Your organization was not approved. Reason: ${reason ?? "none given"}. Update your profile and ask for another review.`
        : `Your organization is suspended. Reason: ${reason ?? "none given"}.`;
  return (
    <div className="mb-8">
      <Alert tone={status === "pending_review" ? "warning" : "error"}>
        <span className="mr-2">
          <Badge tone={status} label={labelOf(ORGANIZATION_STATUS_LABELS, status)} />
        </span>
        {text}
      </Alert>
    </div>
  );
}
