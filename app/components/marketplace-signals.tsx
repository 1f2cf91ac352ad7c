import { Table } from "~/components/ui";
import { allNewText, formatDays, thresholdText, type SignalBasis, type SignalFigures, type SignalWindow } from "~/lib/marketplace-signals";
import { formatBps, formatMoney } from "~/lib/money";

type Item = { label: string; basis: SignalBasis; value: string | null };

const bps = (value: number | null) => (value === null ? null : formatBps(value));

/** The figures in reading order: the offer's own, then its merchant's across all its offers. */
function items(f: SignalFigures, currency: string): Item[] {
  return [
    { label: "EPC", basis: "clicks", value: f.epcMinor === null ? null : formatMoney(f.epcMinor, currency) },
    { label: "Conversion rate", basis: "clicks", value: bps(f.conversionRateBps) },
    { label: "Merchant approval rate", basis: "decided", value: bps(f.approvalRateBps) },
    { label: "Merchant days to decision", basis: "decided", value: f.avgDecisionDays === null ? null : formatDays(f.avgDecisionDays) },
    { label: "Merchant reversal rate", basis: "approved", value: bps(f.reversalRateBps) },
  ];
}

/** A figure, or "New" with the threshold it has not reached. */
function Figure({ item, days }: { item: Item; days: SignalWindow }) {
  if (item.value !== null) return <span className="font-medium text-zinc-900">{item.value}</span>;
  return (
    <>
      <span className="font-medium text-zinc-900">New</span>
      <span className="block text-[11px] leading-tight text-zinc-500">{thresholdText(item.basis, days)}</span>
    </>
  );
}

/** A marketplace card's 30-day figures; one line when every one is new. */
export function SignalSummary({ figures, currency }: { figures: SignalFigures; currency: string }) {
  const all = items(figures, currency);
  if (all.every((item) => item.value === null)) {
    return (
      <p className="mt-4 text-xs text-zinc-500">
        <span className="font-medium text-zinc-900">New</span> · {allNewText(30)}
      </p>
    );
  }
  return (
    <div className="mt-4">
      <p className="text-[11px] font-medium uppercase tracking-wide text-zinc-400">Last 30 days</p>
      <dl className="mt-1 grid grid-cols-2 gap-x-4 gap-y-2 text-xs text-zinc-600 sm:grid-cols-5">
        {all.map((item) => (
          <div key={item.label}>
            <dt>{item.label}</dt>
            <dd>
              <Figure item={item} days={30} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The offer page's figures for each window, side by side, with what each one means. */
export function SignalTable({ windows, currency }: { windows: { days: SignalWindow; figures: SignalFigures }[]; currency: string }) {
  const columns = windows.map((w) => ({ days: w.days, items: items(w.figures, currency) }));
  return (
    <>
      <Table columns={["", ...windows.map((w) => `Last ${w.days} days`)]}>
        {columns[0]!.items.map((item, i) => (
          <tr key={item.label}>
            <td className="py-2 text-zinc-700">{item.label}</td>
            {columns.map((column) => (
              <td key={column.days} className="py-2 align-top">
                <Figure item={column.items[i]!} days={column.days} />
              </td>
            ))}
          </tr>
        ))}
      </Table>
      <p className="mt-3 text-xs text-zinc-500">
        EPC is the commission publishers earned (pending or approved) per click, not counting bots. The merchant&apos;s figures cover all
        its offers: the share of its decisions that approved the conversion, the average time it took to decide, and the share of approved
        conversions later reversed. Recomputed every hour.
      </p>
    </>
  );
}
