import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Alert, Button, Card, DescriptionList, PageHeader, Table, formatDate } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { LEDGER_ACCOUNT_KIND_LABELS, LEDGER_BALANCE_LABELS, LEDGER_POSTING_KIND_LABELS } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { ledgerPostings } from "~/modules/ledger/balances.server";
import { FilterInput } from "~/components/filters";
import { Pager } from "~/components/pager";
import { readPostingsFilter } from "~/modules/ledger/schemas";

export const meta: MetaFunction = () => [{ title: "Ledger postings · Switchboard staff" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const { filter, errors } = readPostingsFilter(new URL(request.url).searchParams);
  const page = await orErrorResponse(() =>
    ledgerPostings(context.db, staff, { conversionId: filter.conversion, accountId: filter.account, before: filter.before }),
  );
  return { filter, errors, ...page };
}

type Party = { organizationId: string | null; organizationName: string | null };

function PartyName({ account }: { account: Party }) {
  return account.organizationId ? (
    <Link to={`/staff/organizations/${account.organizationId}`} className="text-indigo-600 hover:underline">
      {account.organizationName}
    </Link>
  ) : (
    <span className="text-zinc-500">The network</span>
  );
}

export default function LedgerPostings() {
  const { filter, errors, account, postings, nextBefore } = useLoaderData<typeof loader>();
  const kept = Object.entries({ conversion: filter.conversion, account: filter.account }).filter(([, v]) => v !== undefined) as [
    string,
    string | number,
  ][];
  const older = new URLSearchParams([...kept.map(([k, v]) => [k, String(v)]), ["before", String(nextBefore)]]);
  return (
    <>
      <PageHeader
        title="Ledger postings"
        description="Newest first. Each posting's entries sum to zero: debits (money owed to the network, or held) against credits (what it owes, or earned)."
        actions={
          <Link to="/staff/ledger" className="text-sm font-semibold text-indigo-600 hover:underline">
            ← Balances
          </Link>
        }
      />
      <div className="space-y-6">
        {errors.length ? <Alert tone="warning">{errors.join(" ")}</Alert> : null}
        {account ? (
          <Card title={`${LEDGER_ACCOUNT_KIND_LABELS[account.kind]} · ${account.currency}`}>
            <DescriptionList
              items={[
                ["Organization", <PartyName key="party" account={account} />],
                [LEDGER_BALANCE_LABELS[account.kind], formatMoney(account.shownMinor, account.currency)],
                ["Account id", <code key="id">{account.id}</code>],
              ]}
            />
          </Card>
        ) : null}
        <Card>
          <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-3 sm:items-end">
            <FilterInput name="conversion" label="Conversion id" defaultValue={filter.conversion} maxLength={36} />
            <FilterInput name="account" label="Account id" defaultValue={filter.account} inputMode="numeric" maxLength={16} />
            <Button variant="secondary">Filter</Button>
          </Form>
          {postings.length ? (
            <ol className="space-y-4">
              {postings.map((p) => (
                <li key={p.id} className="rounded-md p-4 ring-1 ring-zinc-200">
                  <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
                    <span className="font-semibold text-zinc-900">
                      #{p.id} {LEDGER_POSTING_KIND_LABELS[p.kind]}
                    </span>
                    <span className="text-zinc-500">{formatDate(p.createdAt)}</span>
                    {p.conversionId ? (
                      <Link to={`/staff/conversions?q=${p.conversionId}`} className="text-indigo-600 hover:underline">
                        Conversion <code className="text-xs">{p.conversionId.slice(0, 8)}</code>
                      </Link>
                    ) : null}
                    {p.reversesPostingId ? <span className="text-zinc-500">reverses #{p.reversesPostingId}</span> : null}
                  </div>
                  <Table className="mt-2" columns={["Account", "Organization", "Debit", "Credit"]}>
                    {p.entries.map((e, i) => (
                      <tr key={i}>
                        <td className="py-1.5 whitespace-nowrap">
                          <Link to={`/staff/ledger/postings?account=${e.account.id}`} className="text-indigo-600 hover:underline">
                            {LEDGER_ACCOUNT_KIND_LABELS[e.account.kind]}
                          </Link>
                        </td>
                        <td className="py-1.5">
                          <PartyName account={e.account} />
                        </td>
                        <td className="py-1.5 tabular-nums">{e.side === "debit" ? formatMoney(e.sizeMinor, p.currency) : ""}</td>
                        <td className="py-1.5 tabular-nums">{e.side === "credit" ? formatMoney(e.sizeMinor, p.currency) : ""}</td>
                      </tr>
                    ))}
                  </Table>
                </li>
              ))}
            </ol>
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500">
              {filter.conversion
                ? "This conversion has no postings: only approved and reversed conversions book money."
                : "No postings match."}
            </p>
          )}
          <Pager next={nextBefore ? `?${older}` : null} nextLabel="Older postings" />
        </Card>
      </div>
    </>
  );
}
