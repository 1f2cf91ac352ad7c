import { Card, formatDate } from "./ui";

/** The dated history of partner-visible changes to an offer. */
export function OfferChanges({
  changes,
  title,
  description,
}: {
  changes: { id: number; createdAt: string | Date; summary: string }[];
  title: string;
  description?: string;
}) {
  if (!changes.length) return null;
  return (
    <Card title={title} description={description}>
      <ul className="space-y-1 text-sm">
        {changes.map((c) => (
          <li key={c.id}>
            <span className="text-zinc-500">{formatDate(c.createdAt)}</span> · {c.summary}
          </li>
        ))}
      </ul>
    </Card>
  );
}
