import { useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * A value to copy: a read-only field that selects itself on focus (so it works without JavaScript),
 * and a Copy button once the page has a clipboard to copy to.
 */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  // False on the server and while hydrating, so the markup matches; true after, where a clipboard exists.
  const canCopy = useSyncExternalStore(
    noSubscription,
    () => Boolean(navigator.clipboard),
    () => false,
  );
  const [copiedValue, setCopiedValue] = useState<string | null>(null);
  const copied = copiedValue === value;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <div className="mt-1.5 flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border-0 bg-zinc-50 px-3 py-2 font-mono text-sm text-zinc-900 ring-1 ring-inset ring-zinc-300"
        />
        {canCopy ? (
          <button
            type="button"
            onClick={() =>
              navigator.clipboard.writeText(value).then(
                () => setCopiedValue(value),
                () => setCopiedValue(null),
              )
            }
            className="shrink-0 rounded-md bg-white px-3 py-2 text-sm font-semibold text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50"
          >
            {copied ? "Copied" : "Copy"}
          </button>
        ) : null}
      </div>
      <p aria-live="polite" className="sr-only">
        {copied ? "Copied to the clipboard" : ""}
      </p>
    </div>
  );
}
