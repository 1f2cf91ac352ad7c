import { CONVERSION_HOLD_LABELS, FRAUD_SIGNAL_LABELS, labelOf } from "~/lib/labels";
import { Badge } from "./ui";

type Signal = { code: string; evidence: string };

/** A conversion's fraud hold as a badge; nothing when it was never held. */
export function HoldBadge({ hold }: { hold: string }) {
  if (hold === "none") return null;
  return <Badge tone={hold} label={labelOf(CONVERSION_HOLD_LABELS, hold)} />;
}

/** The signals fraud screening found, each named and explained by its evidence, for anyone who may see the conversion. */
export function FraudSignalList({ signals }: { signals: Signal[] }) {
  if (!signals.length) return <p className="text-sm text-zinc-500">Fraud screening found nothing on this conversion.</p>;
  return (
    <ul className="space-y-3">
      {signals.map((signal) => (
        <li key={signal.code} className="text-sm">
          <p className="font-medium text-zinc-900">{labelOf(FRAUD_SIGNAL_LABELS, signal.code)}</p>
          <p className="text-zinc-700">{signal.evidence}</p>
        </li>
      ))}
    </ul>
  );
}

/** The signals' names in a line, for a list row. */
export function signalNames(signals: Signal[]): string {
  return signals.map((signal) => labelOf(FRAUD_SIGNAL_LABELS, signal.code)).join(", ");
}
