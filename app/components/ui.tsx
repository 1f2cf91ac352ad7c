import type { ButtonHTMLAttributes, ReactNode } from "react";

export function cx(...classes: (string | false | null | undefined)[]) {
  return classes.filter(Boolean).join(" ");
}

const buttonStyles = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-indigo-600",
  secondary: "bg-white text-zinc-900 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50",
  danger: "bg-red-600 text-white hover:bg-red-500 focus-visible:outline-red-600",
  ghost: "text-zinc-700 hover:bg-zinc-100",
};

export function Button({
  variant = "primary",
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof buttonStyles }) {
  return (
    <button
      type="submit"
      {...props}
      className={cx(
        "inline-flex items-center justify-center rounded-md px-3.5 py-2 text-sm font-semibold shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-50",
        buttonStyles[variant],
        className,
      )}
    />
  );
}

export function Card({
  title,
  description,
  children,
  className,
}: {
  title?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={cx("rounded-lg bg-white p-6 shadow-sm ring-1 ring-zinc-200", className)}>
      {title ? <h2 className="text-base font-semibold text-zinc-900">{title}</h2> : null}
      {description ? <p className="mt-1 text-sm text-zinc-600">{description}</p> : null}
      <div className={title || description ? "mt-5" : undefined}>{children}</div>
    </section>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-zinc-900">{title}</h1>
        {description ? <p className="mt-1 text-sm text-zinc-600">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}

const alertStyles = {
  error: "bg-red-50 text-red-800 ring-red-200",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  info: "bg-indigo-50 text-indigo-800 ring-indigo-200",
  warning: "bg-amber-50 text-amber-800 ring-amber-200",
};

export function Alert({ tone = "info", children }: { tone?: keyof typeof alertStyles; children: ReactNode }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cx("rounded-md px-4 py-3 text-sm ring-1 ring-inset", alertStyles[tone])}>
      {children}
    </div>
  );
}

const badgeStyles: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  pending_review: "bg-amber-50 text-amber-800 ring-amber-600/20",
  rejected: "bg-red-50 text-red-700 ring-red-600/20",
  suspended: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  sent: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  delivered: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  pending: "bg-amber-50 text-amber-800 ring-amber-600/20",
  sending: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
  failed: "bg-red-50 text-red-700 ring-red-600/20",
  in_review: "bg-amber-50 text-amber-800 ring-amber-600/20",
  invited: "bg-amber-50 text-amber-800 ring-amber-600/20",
  approved: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  paused: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  ended: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  withdrawn: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  archived: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  reversed: "bg-red-50 text-red-700 ring-red-600/20",
  test: "bg-sky-50 text-sky-700 ring-sky-600/20",
  held: "bg-orange-50 text-orange-800 ring-orange-600/20",
  cleared: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
};

/** A status pill: `tone` is the stored value (it picks the colour), `label` what a person reads. */
export function Badge({ tone, label }: { tone: string; label: string }) {
  return (
    <span
      className={cx(
        "inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        badgeStyles[tone] ?? "bg-zinc-50 text-zinc-700 ring-zinc-500/20",
      )}
    >
      {label}
    </span>
  );
}

export function DescriptionList({ items }: { items: [ReactNode, ReactNode][] }) {
  return (
    <dl className="divide-y divide-zinc-100">
      {items.map(([term, detail], i) => (
        <div key={i} className="grid grid-cols-3 gap-4 py-3 text-sm">
          <dt className="font-medium text-zinc-700">{term}</dt>
          <dd className="col-span-2 min-w-0 break-words text-zinc-900">{detail}</dd>
        </div>
      ))}
    </dl>
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "21 Nov 2026, 05:31 UTC", built by hand: Intl's output differs between Node's ICU and the
 * browser's, and a difference breaks hydration (the page re-renders and loses typed input).
 */
export function formatDate(value: Date | string) {
  const d = new Date(value);
  const time = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${time} UTC`;
}

/**
 * A data table that scrolls sideways inside its own box on a narrow screen, with space between
 * columns. Rows go in as children.
 */
export function Table({ columns, children, className }: { columns: string[]; children: ReactNode; className?: string }) {
  return (
    <div className={cx("overflow-x-auto", className)}>
      <table className="w-full text-left text-sm [&_td:not(:last-child)]:pr-4 [&_th]:whitespace-nowrap [&_th:not(:last-child)]:pr-4">
        <thead className="text-zinc-500">
          <tr>
            {columns.map((column, i) => (
              <th key={i} className="py-2 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">{children}</tbody>
      </table>
    </div>
  );
}
