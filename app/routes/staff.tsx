import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData } from "@remix-run/react";
import { NavTabs } from "~/components/nav-tabs";
import { requireStaff } from "~/lib/guards.server";

export async function loader({ context }: LoaderFunctionArgs) {
  return { email: requireStaff(context).email };
}

const nav = [
  { to: "/staff", label: "Review queue", end: true },
  { to: "/staff/organizations", label: "Organizations" },
  { to: "/staff/offers", label: "Offers" },
  { to: "/staff/conversions", label: "Conversions" },
  { to: "/staff/fraud", label: "Fraud" },
  { to: "/staff/ledger", label: "Ledger" },
  { to: "/staff/payouts", label: "Payouts" },
  { to: "/staff/reports", label: "Reports" },
  { to: "/staff/niches", label: "Niches" },
  { to: "/staff/fees", label: "Fees" },
  { to: "/staff/invoices", label: "Invoices" },
  { to: "/staff/billing", label: "Billing" },
  { to: "/staff/audit", label: "Audit log" },
  { to: "/staff/mailbox", label: "Mailbox" },
  { to: "/staff/jobs", label: "Jobs" },
];

export default function StaffLayout() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <div className="min-h-screen">
      <header className="bg-zinc-900 text-white">
        <div className="mx-auto max-w-6xl space-y-2 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-4">
            <Link to="/staff" className="font-bold">
              Switchboard <span className="font-normal text-zinc-400">staff</span>
            </Link>
            <div className="ml-auto flex min-w-0 items-center gap-4 text-sm">
              <span className="hidden text-zinc-400 sm:inline">{email}</span>
              <Form method="post" action="/logout">
                <button className="whitespace-nowrap font-medium text-zinc-200 hover:text-white">Log out</button>
              </Form>
            </div>
          </div>
          {/* One row at every width: on a phone it scrolls sideways inside itself. */}
          <div className="-mx-3 overflow-x-auto px-0.5">
            <NavTabs items={nav} tone="dark" />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
        <Outlet />
      </main>
    </div>
  );
}
