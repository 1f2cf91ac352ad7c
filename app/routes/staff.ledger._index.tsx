import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Alert, Button, Card, PageHeader, Table } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { LEDGER_ACCOUNT_KIND_LABELS, LEDGER_BALANCE_LABELS } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { ledgerBalances } from "~/modules/ledger/balances.server";
import { formatCount } from "~/lib/counts";
import { FilterInput, FilterSelect, labelOptions } from "~/components/filters";
import { readBalancesFilter } from "~/modules/ledger/schemas";

export const meta: MetaFunction = () => [{ title: "Ledger · Switchboard staff" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const { filter, errors } = readBalancesFilter(new URL(request.url).searchParams);
  return { filter, errors, ...(await ledgerBalances(context.db, staff, filter)) };
}

function Total({ label, amount, currency }: { label: string; amount: number; currency: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums text-zinc-900">{formatMoney(amount, currency)}</dd>
    </div>
  );
}

export default function LedgerBalances() {
  const { filter, errors, totals, currencies, accounts, more } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Ledger"
        description={
          <>
            Balances per account and currency, kept as each posting is booked; <code className="text-xs">npm run ledger:check</code>{" "}
            recomputes them from the entries.
          </>
        }
        actions={
          <Link to="/staff/ledger/postings" className="text-sm font-semibold text-indigo-600 hover:underline">
            All postings →
          </Link>
        }
      />
      <div className="space-y-6">
        {totals.length ? (
          <div className="grid gap-4 md:grid-cols-2">
            {totals.map((t) => (
              <Card
                key={t.currency}
                title={t.currency}
                description={t.accounts === 1 ? "1 account" : `${formatCount(t.accounts)} accounts`}
              >
                <dl className="grid grid-cols-2 gap-4">
                  <Total label="Owed by merchants" amount={t.receivableMinor} currency={t.currency} />
                  <Total label="Owed to publishers" amount={t.payableMinor} currency={t.currency} />
                  <Total label="Network fees earned" amount={t.revenueMinor} currency={t.currency} />
                  <Total label="Cash" amount={t.cashMinor} currency={t.currency} />
                </dl>
              </Card>
            ))}
          </div>
        ) : (
          <Card>
            <p className="py-6 text-center text-sm text-zinc-500">Nothing is booked yet: approving a conversion books its first posting.</p>
          </Card>
        )}
        {errors.length ? <Alert tone="warning">{errors.join(" ")}</Alert> : null}
        <Card
          title="Accounts"
          description="Largest balances first. Each amount reads the way its account is meant: what a merchant owes, what a publisher is owed, the fees the network earned."
        >
          <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-4 sm:items-end">
            <FilterSelect
              name="kind"
              label="Kind"
              value={filter.kind}
              any="Every kind"
              options={labelOptions(LEDGER_ACCOUNT_KIND_LABELS)}
            />
            <FilterSelect
              name="currency"
              label="Currency"
              value={filter.currency}
              any="Every currency"
              options={currencies.map((c) => ({ value: c, label: c }))}
            />
            <FilterInput name="organization" label="Organization" defaultValue={filter.organization} maxLength={100} />
            <Button variant="secondary">Filter</Button>
          </Form>
          {accounts.length ? (
            <Table columns={["Account", "Organization", "Currency", "Balance", ""]}>
              {accounts.map((a) => (
                <tr key={a.id}>
                  <td className="py-2 font-medium whitespace-nowrap">{LEDGER_ACCOUNT_KIND_LABELS[a.kind]}</td>
                  <td className="py-2">
                    {a.organizationId ? (
                      <Link to={`/staff/organizations/${a.organizationId}`} className="text-indigo-600 hover:underline">
                        {a.organizationName}
                      </Link>
                    ) : (
                      <span className="text-zinc-500">The network</span>
                    )}
                  </td>
                  <td className="py-2">{a.currency}</td>
                  <td className="py-2 whitespace-nowrap">
                    <span className="font-medium tabular-nums">{formatMoney(a.shownMinor, a.currency)}</span>{" "}
                    <span className="text-xs text-zinc-500">{LEDGER_BALANCE_LABELS[a.kind].toLowerCase()}</span>
                  </td>
                  <td className="py-2 text-right whitespace-nowrap">
                    <Link to={`/staff/ledger/postings?account=${a.id}`} className="text-indigo-600 hover:underline">
                      Postings
                    </Link>
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500">No account matches.</p>
          )}
          {more ? (
            <p className="mt-4 text-sm text-zinc-500">Showing the {accounts.length} largest balances; filter to find others.</p>
          ) : null}
        </Card>
      </div>
    </>
  );
}
