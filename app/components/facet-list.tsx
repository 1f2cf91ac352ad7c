import { Link } from "@remix-run/react";
import { useState } from "react";
import { formatCount } from "~/lib/counts";
import { filterFacetOptions, orderFacetOptions, splitFacetOptions, type FacetOption } from "~/lib/facets";

/** How many values a facet shows before "Show all". */
const SHOWN = 8;

type Option = FacetOption & { href: string };

/**
 * A facet's values as toggle links, most offers first. A long facet shows its top values, the rest
 * behind "Show all" (a <details>, so it opens without JavaScript) and a box that filters every value.
 */
export function FacetList({ title, options, estimated = false }: { title: string; options: Option[]; estimated?: boolean }) {
  const [filter, setFilter] = useState("");
  const ordered = orderFacetOptions(options);
  const { top, rest } = splitFacetOptions(ordered, SHOWN);
  const matching = filterFacetOptions(ordered, filter);
  return (
    <nav aria-label={title}>
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      {rest.length ? (
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          placeholder={`Find a ${title.toLowerCase()}`}
          aria-label={`Find a ${title.toLowerCase()}`}
          className="mt-2 block w-full rounded-md px-2 py-1 text-sm ring-1 ring-zinc-300"
        />
      ) : null}
      {filter.trim() ? (
        matching.length ? (
          <OptionList options={matching} estimated={estimated} />
        ) : (
          <p className="mt-2 text-sm text-zinc-500">No {title.toLowerCase()} matches.</p>
        )
      ) : (
        <>
          <OptionList options={top} estimated={estimated} />
          {rest.length ? (
            <details className="mt-1 text-sm">
              <summary className="cursor-pointer text-indigo-600 hover:underline">Show all {ordered.length}</summary>
              <OptionList options={rest} estimated={estimated} />
            </details>
          ) : null}
        </>
      )}
    </nav>
  );
}

function OptionList({ options, estimated }: { options: Option[]; estimated: boolean }) {
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {options.map((o) => (
        <li key={o.value}>
          <Link
            to={o.href}
            className={o.active ? "font-semibold text-indigo-700" : "text-zinc-700 hover:text-zinc-900"}
            aria-current={o.active ? "true" : undefined}
          >
            {o.active ? "✓ " : ""}
            {o.label}{" "}
            <span className="text-zinc-400">
              ({estimated ? "~" : ""}
              {formatCount(o.count, estimated)})
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
