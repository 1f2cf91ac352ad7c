/**
 * The load generator of the tracking benches, run in a child process (runLoad in bench/tracking-bench.ts forks it) so
 * autocannon's own CPU use does not land on the server's event loop. It takes one plan over IPC,
 * fires it with autocannon, and answers with the counts and its own latency samples: autocannon's
 * histogram keeps whole milliseconds and only 2xx latencies, while a click is a 302 under 1 ms.
 */
import autocannon from "autocannon";

export type LoadPlan = {
  url: string;
  connections: number;
  /** Seconds; ignored when amount is set. */
  duration: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  headers: Record<string, string>;
  /** Paths sent in this order (shared by all connections), from the start again when used up. */
  paths: string[];
  /** A fresh public-looking address in X-Forwarded-For on every request. */
  varyForwardedFor: boolean;
  /** Report which `order_id` each answer was for (postbacks), to check what was recorded. */
  trackOrders: boolean;
};

export type LoadResult = {
  seconds: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Order ids answered 2xx, once each (only with trackOrders). */
  ordersAnswered2xx: string[];
};

function randomAddress() {
  const octet = () => Math.floor(Math.random() * 256);
  // 1–223 without 10, 127 and 172/192 private ranges: the country lookup sees ordinary addresses.
  const first = [1, 2, 3, 5, 8, 12, 23, 31, 37, 45, 51, 62, 77, 81, 89, 91, 103, 118, 133, 151, 176, 185, 203, 212][
    Math.floor(Math.random() * 24)
  ]!;
  return `${first}.${octet()}.${octet()}.${1 + Math.floor(Math.random() * 254)}`;
}

function percentile(sorted: Float64Array, p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  let next = 0;
  let latencies = new Float64Array(1 << 16);
  let samples = 0;
  const answered = new Set<string>();
  type Context = { path?: string };

  let done!: (error: Error | null, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = (error, result) => (error ? reject(error) : resolve(result));
  });
  const options: autocannon.Options = {
    url: plan.url,
    connections: plan.connections,
    duration: plan.duration,
    amount: plan.amount,
    headers: plan.headers,
    requests: [
      {
        setupRequest: (request, context) => {
          const path = plan.paths[next++ % plan.paths.length]!;
          (context as Context).path = path;
          const headers = plan.varyForwardedFor ? { ...request.headers, "x-forwarded-for": randomAddress() } : request.headers;
          return { ...request, path, headers };
        },
        onResponse: plan.trackOrders
          ? (status, _body, context) => {
              if (status >= 300) return;
              const order = new URLSearchParams((context as Context).path!.split("?")[1]).get("order_id");
              if (order) answered.add(order);
            }
          : undefined,
      },
    ],
  };
  const instance = autocannon(options, (error, result) => done(error, result));
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (samples === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[samples++] = responseTime;
  });
  const result = await finished;
  const sorted = latencies.subarray(0, samples).sort();
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats as unknown as Record<string, { count: number }>)) {
    statuses[code] = count;
  }
  return {
    seconds: result.duration,
    requests: samples,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
    },
    ordersAnswered2xx: [...answered],
  };
}

process.once("message", (plan: LoadPlan) => {
  run(plan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
