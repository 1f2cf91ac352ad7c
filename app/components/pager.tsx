import { Link } from "@remix-run/react";

/**
 * A keyset-paged list's links: back to the first page once past it, and on to the next page when
 * there is one. Each is a query string (or null), so the page keeps its own filters in it.
 */
export function Pager({ first, next, nextLabel }: { first?: string | null; next: string | null; nextLabel: string }) {
  if (!first && !next) return null;
  return (
    <div className="mt-4 flex flex-wrap gap-4 text-sm font-semibold">
      {first ? (
        <Link to={first} className="text-indigo-600">
          ← Newest
        </Link>
      ) : null}
      {next ? (
        <Link to={next} className="text-indigo-600">
          {nextLabel} →
        </Link>
      ) : null}
    </div>
  );
}
