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
  { to: "/staff/niches", label: "Niches" },
  { to: "/staff/fees", label: "Fees" },
  { to: "/staff/audit", label: "Audit log" },
  { to: "/staff/mailbox", label: "Mailbox" },
  { to: "/staff/jobs", label: "Jobs" },
];

export default function StaffLayout() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <div className="min-h-screen">
      <header className="bg-zinc-900 text-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3">
          <Link to="/staff" className="font-bold">
            Switchboard <span className="font-normal text-zinc-400">staff</span>
          </Link>
          <NavTabs items={nav} tone="dark" />
          <div className="ml-auto flex items-center gap-4 text-sm">
            <span className="text-zinc-400">{email}</span>
            <Form method="post" action="/logout">
              <button className="font-medium text-zinc-200 hover:text-white">Log out</button>
            </Form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-10">
        <Outlet />
      </main>
    </div>
  );
}
