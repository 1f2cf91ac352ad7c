import { Link } from "@remix-run/react";
import { FilterSelect, labelOptions } from "./filters";
import { formatCount } from "~/lib/counts";
import { INVOICE_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { formatInvoiceNumber, isOverdue, openMinorOf, periodLastDay } from "~/modules/invoices/invoice-format";
import { Badge, DescriptionList, Table, formatDate } from "./ui";

type InvoiceFacts = {
  id: string;
  number: number;
  currency: string;
  status: string;
  periodStart: string | Date;
  periodEnd: string | Date;
  issuedAt: string | Date;
  dueAt: string | Date;
  commissionMinor: number;
  feeMinor: number;
  totalMinor: number;
  paidMinor: number;
  voidReason: string | null;
};

/** Open, paid or void, and overdue when open past its due date. */
export function InvoiceStatus({ invoice, now }: { invoice: InvoiceFacts; now: Date }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge
        tone={invoice.status === "issued" ? "pending" : invoice.status === "paid" ? "approved" : "archived"}
        label={labelOf(INVOICE_STATUS_LABELS, invoice.status)}
      />
      {isOverdue(invoice, now) ? <Badge tone="rejected" label="Overdue" /> : null}
    </span>
  );
}

/** The period as a person reads it: from its start to its last day. */
export function periodText(invoice: Pick<InvoiceFacts, "periodStart" | "periodEnd">) {
  return `${formatDate(invoice.periodStart)} – ${formatDate(periodLastDay(invoice))}`;
}

export function InvoiceTable({
  rows,
  hrefOf,
  now,
  showMerchant,
}: {
  rows: { invoice: InvoiceFacts; merchantName: string }[];
  hrefOf: (id: string) => string;
  now: Date;
  showMerchant: boolean;
}) {
  return (
    <Table columns={["Invoice", ...(showMerchant ? ["Merchant"] : []), "Period", "Due", "Total", "Open", "Status"]}>
      {rows.map(({ invoice: i, merchantName }) => (
        <tr key={i.id}>
          <td className="py-3">
            <Link to={hrefOf(i.id)} className="font-medium text-indigo-600 hover:underline">
              {formatInvoiceNumber(i.number)}
            </Link>
          </td>
          {showMerchant ? <td className="py-3">{merchantName}</td> : null}
          <td className="py-3 text-zinc-600">{periodText(i)}</td>
          <td className="py-3 text-zinc-600">{formatDate(i.dueAt)}</td>
          <td className="py-3 tabular-nums">{formatMoney(i.totalMinor, i.currency)}</td>
          <td className="py-3 tabular-nums">{formatMoney(openMinorOf(i), i.currency)}</td>
          <td className="py-3">
            <InvoiceStatus invoice={i} now={now} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

type Line = {
  id: number;
  offerName: string;
  approvals: number;
  reversals: number;
  commissionMinor: number;
  feeMinor: number;
  totalMinor: number;
};
type Payment = { id: number; amountMinor: number; receivedOn: string; reference: string };

/** What an invoice bills and what was paid on it: the facts, the lines per offer, the payments, what is open. */
export function InvoiceBody({
  invoice: i,
  merchantName,
  lines,
  payments,
}: {
  invoice: InvoiceFacts;
  merchantName: string;
  lines: Line[];
  payments: Payment[];
}) {
  const money = (minor: number) => formatMoney(minor, i.currency);
  return (
    <div className="space-y-6">
      <DescriptionList
        items={[
          ["Merchant", merchantName],
          ["Period", periodText(i)],
          ["Issued", formatDate(i.issuedAt)],
          ["Due", formatDate(i.dueAt)],
          ["Commission", money(i.commissionMinor)],
          ["Network fee", money(i.feeMinor)],
          ["Total", money(i.totalMinor)],
          ["Paid", money(i.paidMinor)],
          ["Open", money(openMinorOf(i))],
          ...(i.voidReason ? ([["Void because", i.voidReason]] as [string, string][]) : []),
        ]}
      />
      <div>
        <h3 className="mb-2 text-sm font-semibold text-zinc-900">Per offer</h3>
        <Table columns={["Offer", "Approved", "Reversed", "Commission", "Fee", "Total"]}>
          {lines.map((l) => (
            <tr key={l.id}>
              <td className="py-2">{l.offerName}</td>
              <td className="py-2 tabular-nums">{formatCount(l.approvals)}</td>
              <td className="py-2 tabular-nums">{formatCount(l.reversals)}</td>
              <td className="py-2 tabular-nums">{money(l.commissionMinor)}</td>
              <td className="py-2 tabular-nums">{money(l.feeMinor)}</td>
              <td className="py-2 font-medium tabular-nums">{money(l.totalMinor)}</td>
            </tr>
          ))}
        </Table>
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold text-zinc-900">Payments</h3>
        {payments.length ? (
          <Table columns={["Received", "Reference", "Amount"]}>
            {payments.map((p) => (
              <tr key={p.id}>
                <td className="py-2">{formatDate(p.receivedOn)}</td>
                <td className="py-2 break-all">{p.reference}</td>
                <td className="py-2 tabular-nums">{money(p.amountMinor)}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="text-sm text-zinc-500">No payment received yet.</p>
        )}
      </div>
    </div>
  );
}

/** The invoice lists' status and overdue filters, the same for a merchant and for staff. */
export function InvoiceStatusFilters({ filter }: { filter: { status?: string; overdue?: string } }) {
  return (
    <>
      <FilterSelect name="status" label="Status" value={filter.status} any="Any status" options={labelOptions(INVOICE_STATUS_LABELS)} />
      <FilterSelect
        name="overdue"
        label="Overdue"
        value={filter.overdue}
        any="Overdue or not"
        options={[{ value: "1", label: "Overdue only" }]}
      />
    </>
  );
}
