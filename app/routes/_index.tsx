import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Switchboard · the open affiliate network" },
  {
    name: "description",
    content: "A self-hostable affiliate marketplace for merchants, publishers and the network team that keeps it honest.",
  },
];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.auth) throw redirect(context.auth.user.isStaff ? "/staff" : "/app");
  return null;
}

const points = [
  ["Merchants", "List offers with CPS, CPA or hybrid terms, approve the publishers who apply, and see every cent explained."],
  ["Publishers", "Search offers by niche, get tracking links and coupon codes, and get paid exactly what the terms say."],
  ["Network team", "Vet partners, review offers, watch for fraud and run payouts, with every action in the audit log."],
];

export default function Index() {
  return (
    <main className="mx-auto max-w-5xl px-6 py-16">
      <nav className="flex items-center justify-between">
        <span className="text-lg font-bold text-indigo-600">Switchboard</span>
        <div className="flex gap-4 text-sm font-semibold">
          <Link to="/login" className="text-zinc-700 hover:text-zinc-900">
            Log in
          </Link>
          <Link to="/signup" className="rounded-md bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-500">
            Join the network
          </Link>
        </div>
      </nav>
      <section className="mt-24 max-w-3xl">
        <h1 className="text-5xl font-bold tracking-tight text-zinc-900">The affiliate network you can run yourself.</h1>
        <p className="mt-6 text-lg text-zinc-600">
          One marketplace where merchants list offers, publishers promote them with tracking links, and one honest engine turns every
          conversion into a publisher commission, a network fee and a merchant cost that add up to the cent.
        </p>
        <div className="mt-8 flex gap-3">
          <Link to="/signup" className="rounded-md bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-indigo-500">
            Create an account
          </Link>
          <Link to="/login" className="rounded-md px-4 py-2.5 text-sm font-semibold text-zinc-900 ring-1 ring-zinc-300 hover:bg-white">
            Log in
          </Link>
        </div>
      </section>
      <section className="mt-24 grid gap-6 sm:grid-cols-3">
        {points.map(([title, text]) => (
          <div key={title} className="rounded-lg bg-white p-6 ring-1 ring-zinc-200">
            <h2 className="font-semibold">{title}</h2>
            <p className="mt-2 text-sm text-zinc-600">{text}</p>
          </div>
        ))}
      </section>
    </main>
  );
}
