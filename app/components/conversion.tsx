import type { FieldMetadata } from "@conform-to/react";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { FeeSnapshot, FraudSignal, TermsSnapshot } from "#db/schema";
import { countryName } from "~/lib/countries";
import { describeFeeSnapshot, describeTermsSnapshot } from "~/lib/conversion-terms";
import {
  ATTRIBUTION_KIND_LABELS,
  CONVERSION_HOLD_LABELS,
  CONVERSION_REASON_LABELS,
  CONVERSION_STATUS_LABELS,
  REJECTION_REASONS,
  labelOf,
} from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { SelectField, TextAreaField } from "./form";
import { Badge, DescriptionList, Table, cx, formatDate } from "./ui";

type Amounts = { saleAmountMinor: number; commissionMinor: number; feeMinor: number; merchantCostMinor: number; currency: string };

/**
 * The three amounts of a conversion, the same for the merchant, the publisher and staff: the network
 * is the intermediary of trust, so everyone sees what the other side sees.
 */
export function ConversionBreakdown({ conversion: c }: { conversion: Amounts }) {
  const money = (minor: number) => formatMoney(minor, c.currency);
  return (
    <DescriptionList
      items={[
        ["Sale amount", money(c.saleAmountMinor)],
        ["Publisher commission", money(c.commissionMinor)],
        ["Network fee", money(c.feeMinor)],
        [
          "Merchant cost",
          <span key="cost">
            <span className="font-semibold">{money(c.merchantCostMinor)}</span>{" "}
            <span className="text-zinc-500">
              ({money(c.commissionMinor)} commission + {money(c.feeMinor)} fee)
            </span>
          </span>,
        ],
      ]}
    />
  );
}

/**
 * The status badge, an Under review badge while it is on hold, a Test badge for the test tool's
 * conversions, and the reason in words when there is one.
 */
export function ConversionStatus({
  conversion: c,
}: {
  conversion: { status: string; reason: string | null; isTest: boolean; hold?: string };
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={c.status} label={labelOf(CONVERSION_STATUS_LABELS, c.status)} />
      {c.hold === "held" ? <Badge tone="in_review" label="Under review" /> : null}
      {c.isTest ? <Badge tone="test" label="Test" /> : null}
      {c.reason ? <span className="text-xs text-zinc-600">{labelOf(CONVERSION_REASON_LABELS, c.reason)}</span> : null}
    </span>
  );
}

/** sub1=… sub2=… for the sub ids that are set, or a dash. */
function SubIds({ subIds }: { subIds: (string | null)[] }) {
  const set = subIds.flatMap((value, i) => (value ? [[`sub${i + 1}`, value] as const] : []));
  if (!set.length) return <span className="text-zinc-400">—</span>;
  return (
    <span className="inline-flex flex-wrap gap-x-2 gap-y-0.5 text-xs">
      {set.map(([name, value]) => (
        <span key={name} className="break-all">
          <span className="text-zinc-500">{name}=</span>
          {value}
        </span>
      ))}
    </span>
  );
}

/** The terms and fee policy the conversion was priced with, as sentences. */
export function ConversionTerms({
  conversion: c,
}: {
  conversion: { termsSnapshot: TermsSnapshot | null; feeSnapshot: FeeSnapshot | null; currency: string };
}) {
  const sentences = [
    ...(c.termsSnapshot ? describeTermsSnapshot(c.termsSnapshot, c.currency) : ["No terms were recorded with this conversion."]),
    c.feeSnapshot ? describeFeeSnapshot(c.feeSnapshot, c.currency) : "No fee policy was recorded with this conversion.",
  ];
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-zinc-800">
      {sentences.map((s) => (
        <li key={s}>{s}</li>
      ))}
    </ul>
  );
}

type Facts = {
  id: string;
  offerId: string;
  offerTitle: string;
  merchantId: string;
  merchantName: string;
  publisherId: string;
  publisherName: string;
  orderId: string;
  event: string;
  customerId: string | null;
  status: string;
  reason: string | null;
  isTest: boolean;
  createdAt: string | Date;
  statusChangedAt: string | Date;
  validationEndsAt: string | Date;
};

const staffLink = (to: string, text: string) => (
  <Link key={to} to={to} className="text-indigo-600 hover:underline">
    {text}
  </Link>
);

/**
 * What the conversion is and where it stands. A side sees the offer and the other side; staff see
 * both organizations and the offer as links to their staff pages, and the conversion's id. The
 * customer id is the merchant's: a publisher is not shown it.
 */
export function ConversionDetails({ conversion: c, viewer }: { conversion: Facts; viewer: Viewer }) {
  const who: [string, ReactNode][] =
    viewer === "staff"
      ? [
          ["Merchant", staffLink(`/staff/organizations/${c.merchantId}`, c.merchantName)],
          ["Publisher", staffLink(`/staff/organizations/${c.publisherId}`, c.publisherName)],
          ["Offer", staffLink(`/staff/offers/${c.offerId}`, c.offerTitle)],
          [
            "Conversion id",
            <code key="id" className="break-all text-xs">
              {c.id}
            </code>,
          ],
        ]
      : [["Offer", c.offerTitle], viewer === "merchant" ? ["Publisher", c.publisherName] : ["Merchant", c.merchantName]];
  const items: [string, ReactNode][] = [
    ...who,
    [
      "Order id",
      <span key="order" className="break-all">
        {c.orderId}
      </span>,
    ],
    ["Event", c.event],
  ];
  if (viewer !== "publisher")
    items.push([
      "Customer id",
      <span key="customer" className="break-all">
        {c.customerId ?? "None sent"}
      </span>,
    ]);
  items.push(
    ["Status", <ConversionStatus key="status" conversion={c} />],
    ["Recorded", formatDate(c.createdAt)],
    ["Status since", formatDate(c.statusChangedAt)],
  );
  if (c.status === "pending") items.push(["Validation ends", formatDate(c.validationEndsAt)]);
  return <DescriptionList items={items} />;
}

type Attribution = {
  attributedBy: string;
  couponCode: string | null;
  clickId: string | null;
  clickedAt: string | Date | null;
  clickCountry: string | null;
  clickUserAgent: string | null;
  subIds: (string | null)[];
};

/** How the conversion was attributed: the click (when, where from, with which sub ids) or the coupon. */
export function ConversionAttribution({ conversion: c }: { conversion: Attribution }) {
  const items: [string, ReactNode][] = [["Attributed by", labelOf(ATTRIBUTION_KIND_LABELS, c.attributedBy)]];
  if (c.couponCode) items.push(["Coupon", <code key="coupon">{c.couponCode}</code>]);
  if (c.clickId) {
    items.push([
      "Click id",
      <code key="click" className="break-all text-xs">
        {c.clickId}
      </code>,
    ]);
    if (c.clickedAt) items.push(["Click time", formatDate(c.clickedAt)]);
    items.push(["Country", c.clickCountry ? countryName(c.clickCountry) : "Unknown"]);
    items.push([
      "User agent",
      <span key="ua" className="break-all text-xs">
        {c.clickUserAgent ?? "Not recorded"}
      </span>,
    ]);
  }
  items.push(["Sub ids", <SubIds key="subs" subIds={c.subIds} />]);
  return <DescriptionList items={items} />;
}

type Viewer = "merchant" | "publisher" | "staff";

/** A hold as the viewer reads it: the publisher learns that the network reviews it, not that it suspects fraud. */
function holdLabel(hold: string, viewer: Viewer) {
  return viewer === "publisher" && hold === "held" ? "Under review by the network" : labelOf(CONVERSION_HOLD_LABELS, hold);
}

type Decision = {
  status: string;
  reason: string | null;
  note: string | null;
  isTest: boolean;
  hold: string;
  fraudSignals: FraudSignal[];
};

/**
 * Where the conversion stands and why: its status, the reason and the note given with it (the
 * publisher reads them as the merchant wrote them), and its fraud review. The merchant and staff
 * see the signals' evidence; the publisher only that the network is reviewing it.
 */
export function ConversionDecision({ conversion: c, viewer }: { conversion: Decision; viewer: Viewer }) {
  const items: [string, ReactNode][] = [["Status", <ConversionStatus key="status" conversion={{ ...c, reason: null }} />]];
  if (c.reason) items.push(["Reason", labelOf(CONVERSION_REASON_LABELS, c.reason)]);
  if (c.note)
    items.push([
      "Note",
      <span key="note" className="whitespace-pre-line">
        {c.note}
      </span>,
    ]);
  if (c.hold !== "none") {
    const explained =
      c.hold === "held"
        ? viewer === "publisher"
          ? "Network staff review it before it can be approved."
          : "It is not approved, automatically or by you, until network staff clear or reject it."
        : null;
    items.push([
      "Fraud review",
      <div key="hold" className="space-y-1">
        <p className="font-medium">{holdLabel(c.hold, viewer)}</p>
        {explained ? <p className="text-zinc-600">{explained}</p> : null}
        {c.fraudSignals.length ? (
          <ul className="list-disc pl-5 text-zinc-700">
            {c.fraudSignals.map((signal, i) => (
              <li key={i}>{signal.evidence}</li>
            ))}
          </ul>
        ) : null}
      </div>,
    ]);
  }
  return <DescriptionList items={items} />;
}

type HistoryEntry = {
  id: number;
  at: string | Date;
  actor: string;
  fromStatus: string | null;
  toStatus: string;
  fromHold: string | null;
  toHold: string;
  reason: string | null;
  note: string | null;
};

/** Every change of the conversion, oldest first: when, who (as the viewer may know them), before → after, why. */
export function ConversionHistory({ history, viewer }: { history: HistoryEntry[]; viewer: Viewer }) {
  if (history.length === 0) return <p className="text-sm text-zinc-500">No change since it was recorded.</p>;
  const status = (value: string) => labelOf(CONVERSION_STATUS_LABELS, value);
  return (
    <ol aria-label="Conversion history" className="divide-y divide-zinc-100 text-sm">
      {history.map((e) => {
        const moves = [
          e.fromStatus !== e.toStatus ? (e.fromStatus ? `${status(e.fromStatus)} → ${status(e.toStatus)}` : status(e.toStatus)) : null,
          e.fromHold !== e.toHold ? `${holdLabel(e.fromHold ?? "none", viewer)} → ${holdLabel(e.toHold, viewer)}` : null,
        ].filter(Boolean);
        return (
          <li key={e.id} className="space-y-1 py-3">
            <p className="flex flex-wrap justify-between gap-x-4">
              <span className="font-medium text-zinc-900">{moves.join(" · ")}</span>
              <span className="text-zinc-500">
                {formatDate(e.at)} · <span className="break-all">{e.actor}</span>
              </span>
            </p>
            {e.reason ? <p className="text-zinc-700">Reason: {labelOf(CONVERSION_REASON_LABELS, e.reason)}</p> : null}
            {e.note ? <p className="whitespace-pre-line text-zinc-700">Note: {e.note}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

export const REJECTION_REASON_OPTIONS = REJECTION_REASONS.map((value) => ({ value, label: CONVERSION_REASON_LABELS[value] }));

/** The reason and note of a rejection, as the publisher will read them. */
export function RejectionFields({
  reason,
  note,
  noteMaxLength,
}: {
  reason: FieldMetadata<string | undefined>;
  note: FieldMetadata<string | undefined>;
  noteMaxLength: number;
}) {
  return (
    <>
      <SelectField field={reason} label="Reason" options={REJECTION_REASON_OPTIONS} placeholder="Choose a reason" />
      <TextAreaField
        field={note}
        label="Note for the publisher (optional)"
        rows={2}
        hint={`What the publisher should know, up to ${noteMaxLength} characters.`}
      />
    </>
  );
}

type ConversionRow = Amounts & {
  id: string;
  createdAt: string | Date;
  offerTitle: string;
  merchantName: string;
  publisherName: string;
  orderId: string;
  event: string;
  status: string;
  reason: string | null;
  hold?: string;
  isTest: boolean;
  subIds: (string | null)[];
};

type Column = {
  header: (viewer: Viewer) => string;
  cell: (c: ConversionRow) => ReactNode;
  /** Money, kept on one line. */
  isMoney?: boolean;
  /** The side this is the amount of (what it pays or earns), who sees it in bold. */
  amountOf?: Viewer;
};

const money = (minor: (c: ConversionRow) => number, amountOf?: Viewer) => ({
  cell: (c: ConversionRow) => formatMoney(minor(c), c.currency),
  isMoney: true,
  amountOf,
});

const COLUMNS = {
  offer: { header: () => "Offer", cell: (c) => c.offerTitle },
  merchant: { header: () => "Merchant", cell: (c) => c.merchantName },
  publisher: { header: () => "Publisher", cell: (c) => c.publisherName },
  order: {
    header: () => "Order",
    cell: (c) => (
      <>
        <span className="break-all">{c.orderId}</span> <span className="text-xs text-zinc-500">{c.event}</span>
      </>
    ),
  },
  status: { header: () => "Status", cell: (c) => <ConversionStatus conversion={c} /> },
  sale: { header: () => "Sale", ...money((c) => c.saleAmountMinor) },
  commission: { header: () => "Commission", ...money((c) => c.commissionMinor, "publisher") },
  fee: { header: () => "Network fee", ...money((c) => c.feeMinor) },
  cost: { header: (viewer) => (viewer === "staff" ? "Merchant cost" : "Your cost"), ...money((c) => c.merchantCostMinor, "merchant") },
  subIds: { header: () => "Sub ids", cell: (c) => <SubIds subIds={c.subIds} /> },
} satisfies Record<string, Column>;

type ConversionColumn = keyof typeof COLUMNS;

/**
 * Conversions as a table, newest first as given: the creation time, linking to the conversion (for
 * staff, to its search), then the columns the page picks, in its order. With `select`, the rows it
 * allows get a checkbox that belongs to that form (by id), sending the conversion's id as `ids`.
 */
export function ConversionTable({
  rows,
  columns,
  viewer,
  select,
  className,
}: {
  rows: ConversionRow[];
  columns: ConversionColumn[];
  viewer: Viewer;
  select?: { form: string; allows: (c: ConversionRow) => boolean };
  className?: string;
}) {
  const picked: Column[] = columns.map((name) => COLUMNS[name]);
  return (
    <Table className={className} columns={[...(select ? [""] : []), "Created", ...picked.map((column) => column.header(viewer))]}>
      {rows.map((c) => (
        <tr key={c.id} className="align-top">
          {select ? (
            <td className="py-2">
              {select.allows(c) ? (
                <input
                  type="checkbox"
                  name="ids"
                  value={c.id}
                  form={select.form}
                  aria-label={`Select order ${c.orderId}`}
                  className="size-4 rounded border-zinc-300 text-indigo-600"
                />
              ) : null}
            </td>
          ) : null}
          <td className="py-2 whitespace-nowrap">
            <Link to={viewer === "staff" ? `?q=${c.id}` : `/app/conversions/${c.id}`} className="text-indigo-600 hover:underline">
              {formatDate(c.createdAt)}
            </Link>
          </td>
          {picked.map((column, i) => (
            <td key={columns[i]} className={cx("py-2", column.isMoney && "whitespace-nowrap", column.amountOf === viewer && "font-medium")}>
              {column.cell(c)}
            </td>
          ))}
        </tr>
      ))}
    </Table>
  );
}
