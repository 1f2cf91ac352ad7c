import { Bar, BarChart, CartesianGrid, Line, LineChart, XAxis, YAxis } from "recharts";
import { clip } from "~/lib/clean-text";
import { formatCount } from "~/lib/counts";
import { formatMoney } from "~/lib/money";

/*
 * Recharts draws SVG at a fixed size (no ResponsiveContainer: it measures the page, which the server
 * cannot, so server and browser would disagree). The wrapper scales that SVG to its box through the
 * viewBox. Every id is given and no axis label is measured (ticks are plain <text>, intervals fixed),
 * so the server's markup is the browser's: hydration finds what it would render.
 */
const WIDTH = 720;
const HEIGHT = 240;
const scaled = "[&_.recharts-wrapper]:!h-auto [&_.recharts-wrapper]:!w-full [&_svg]:h-auto [&_svg]:w-full";

type TickProps = { x?: number; y?: number; payload?: { value: string | number } };

function tick(format: (value: string | number) => string, anchor: "middle" | "end", dy: number) {
  function AxisTick({ x = 0, y = 0, payload }: TickProps) {
    return (
      <text x={x} y={y} dy={dy} textAnchor={anchor} fontSize={12} fill="#71717a">
        {payload ? format(payload.value) : ""}
      </text>
    );
  }
  return AxisTick;
}

const shortDay = (value: string | number) => String(value).slice(5).replace("-", "/");
const count = (value: string | number) => formatCount(Number(value));

/** The daily chart's lines: clicks on the left axis, conversions on their own scale on the right. */
const SERIES = [
  { key: "clicks", label: "Clicks (left)", stroke: "#4f46e5", swatch: "bg-indigo-600" },
  { key: "conversions", label: "Conversions (right)", stroke: "#059669", swatch: "bg-emerald-600" },
] as const;

/** Clicks and conversions per day: two lines over the range (conversions on their own scale, on the right). */
export function DailyChart({ id, series }: { id: string; series: { day: string; clicks: number; conversions: number }[] }) {
  const interval = Math.max(0, Math.ceil(series.length / 8) - 1);
  return (
    <figure className={scaled}>
      <LineChart id={id} width={WIDTH} height={HEIGHT} data={series} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#e4e4e7" vertical={false} />
        <XAxis dataKey="day" interval={interval} tick={tick(shortDay, "middle", 16)} tickLine={false} />
        <YAxis yAxisId="clicks" interval={0} width={56} tick={tick(count, "end", 4)} allowDecimals={false} />
        <YAxis yAxisId="conversions" orientation="right" interval={0} width={48} tick={tick(count, "end", 4)} allowDecimals={false} />
        {SERIES.map((line) => (
          <Line
            key={line.key}
            id={`${id}-${line.key}`}
            yAxisId={line.key}
            dataKey={line.key}
            stroke={line.stroke}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
      <figcaption className="mt-2 flex gap-4 text-xs text-zinc-600">
        {SERIES.map((line) => (
          <span key={line.key}>
            <span className={`mr-1 inline-block h-2 w-3 rounded-sm ${line.swatch}`} aria-hidden />
            {line.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** The top rows by an amount in one currency, as horizontal bars with their names. */
export function TopChart({
  id,
  currency,
  rows,
}: {
  id: string;
  currency: string;
  rows: { key: string; label: string; amountMinor: number }[];
}) {
  const data = rows.map((r) => ({ ...r, name: clip(r.label, 27) }));
  return (
    <figure className={scaled}>
      <BarChart
        id={id}
        width={WIDTH}
        height={Math.max(80, 34 * data.length + 16)}
        data={data}
        layout="vertical"
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
      >
        <XAxis type="number" hide />
        <YAxis type="category" dataKey="name" width={220} interval={0} tick={tick(String, "end", 4)} tickLine={false} axisLine={false} />
        <Bar id={`${id}-bars`} dataKey="amountMinor" fill="#4f46e5" isAnimationActive={false} barSize={20} />
      </BarChart>
      <figcaption className="sr-only">{data.map((r) => `${r.label}: ${formatMoney(r.amountMinor, currency)}`).join("; ")}</figcaption>
    </figure>
  );
}
