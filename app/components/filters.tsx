import type { InputHTMLAttributes } from "react";

const control = "block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-zinc-300";
const labelClass = "text-xs text-zinc-600";

/** A list page's filter: a select whose empty choice means "any", labelled above it. */
export function FilterSelect({
  name,
  label,
  value,
  any,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  /** The empty choice's words: "All offers", "Any status". */
  any: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <label className={labelClass}>
      {label}
      <select name={name} defaultValue={value ?? ""} className={control}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A list page's text or date filter, labelled above it. */
export function FilterInput({ label, ...input }: { label: string; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className={labelClass}>
      {label}
      <input {...input} className={control} />
    </label>
  );
}

/** Label-value pairs of a map of labels, for a FilterSelect. */
export const labelOptions = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
