import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { createTestDatabase } from "#tests/support/database";
import { startTestTracking } from "#tests/support/tracking";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";
import {
  changedTables,
  inRolledBackTransaction,
  listTables,
  snapshotDatabase,
  type DatabaseSnapshot,
} from "#tests/support/database-snapshot";
import { editedForm, fieldEdits, requestMutations, urlEncoded, type FieldEdit } from "#tests/support/hostile-input";
import { routeUrl, startRouteHarness, type FormFields, type RouteInfo, type WireRequest } from "#tests/support/route-harness";
import { routeInputs, type RouteInputs } from "#tests/support/route-inputs";
import { buildTenantWorld, type ActorName, type TenantWorld } from "#tests/support/tenant-world";
import { routeCases } from "./route-isolation.cases";

/**
 * Every route of the app's Remix manifest, sent hostile input through the server's own request
 * handling (server/app.ts) by who may use it: each field and query parameter the route reads given
 * control characters, NUL, 1 MB, odd unicode, wrong types and nested names, and whole requests
 * gone wrong (non-form bodies, oversize bodies, a bad Host, odd methods). No answer may be a 5xx,
 * and a refused request (4xx) must leave every table as it was. Seeded: a failure names its case,
 * and the same seed sends the same requests.
 */

const SEED = 7_2026;
const RUNS_PER_ROUTE = 60;
/** A refused log-in or sign-up counts against its limit by design: that row is the refusal working. */
const REFUSALS_MAY_CHANGE = ["public.rate_limits"];

const harness = await startRouteHarness();
let handle: DatabaseHandle;
let tracking: StartedTrackingEngine;
let world: TenantWorld;
let tables: string[];
let baseline: DatabaseSnapshot;
/** How many requests got each class of answer ("2xx", "4xx", …). */
const answered: Record<string, number> = {};
/** What the app logged while handling the current request: the cause of a 500. */
let logged: string[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  tracking = await startTestTracking(handle);
  harness.attachTracking(tracking);
  world = await buildTenantWorld(handle.db);
  tables = (await listTables(handle.db)).filter((t) => !REFUSALS_MAY_CHANGE.includes(t));
  baseline = await snapshotDatabase(handle.db, tables);
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    logged.push(args.map(describeLogged).join(" "));
  });
});

afterAll(async () => {
  await tracking?.close();
  const total = Object.values(answered).reduce((sum, n) => sum + n, 0);
  const classes = Object.entries(answered)
    .sort()
    .map(([answer, n]) => `${answer} ${n}`)
    .join(", ");
  console.log(
    `route fuzz: ${total} requests over ${harness.routes.length} routes (seed ${SEED}, ${RUNS_PER_ROUTE} runs per route): ${classes}`,
  );
  vi.restoreAllMocks();
  await handle?.close();
  await harness.close();
});

/** An error as one line: drizzle's "Failed query" keeps the database's reason in its cause. */
function describeLogged(value: unknown): string {
  if (!(value instanceof Error)) return String(value);
  const cause = value.cause instanceof Error ? ` (${value.cause.message})` : "";
  return `${value.name}: ${value.message.split("\n")[0]!.slice(0, 80)}${cause}`;
}

const inTree = (route: RouteInfo, id: string) => route.id === id || route.ancestors.includes(id);

/** Someone the route serves, and the path params that name a row of theirs. */
type Seat = { actor: ActorName; params: Record<string, string> };

/** Who may use the route: the isolation cases' owners for routes with params, else the actors of its kind. */
function seatsFor(route: RouteInfo): Seat[] {
  const entry = routeCases[route.id] ?? {};
  const probes = [...(entry.loader?.(world) ?? []), ...(entry.action?.(world) ?? [])];
  const owners = probes.flatMap((p) => {
    const actor = p.as ?? p.also?.[0];
    return actor ? [{ actor, params: p.params ?? {} }] : [];
  });
  const kind: ActorName[] = inTree(route, "routes/staff")
    ? ["staff"]
    : inTree(route, "routes/app")
      ? ["merchantA", "publisherA"]
      : ["anonymous", "merchantB"];
  // A route with params that names no one's row (the not-found splat) serves its kind of actor with the probes' params.
  const unowned = owners.length ? [] : probes.flatMap((p) => (p.params ? kind.map((actor) => ({ actor, params: p.params! })) : []));
  const seats = route.params.length ? [...owners, ...unowned] : [...owners, ...kind.map((actor) => ({ actor, params: {} }))];
  if (!seats.length) throw new Error(`${route.id} has params but no isolation case naming a row: add one in route-isolation.cases.ts`);
  return seats.filter((seat, i) => seats.findIndex((s) => s.actor === seat.actor) === i);
}

/** The forms the isolation cases send to the route's action. */
function knownForms(route: RouteInfo): FormFields[] {
  const entry = routeCases[route.id] ?? {};
  return [...(entry.action?.(world) ?? []).flatMap((p) => (p.form ? [p.form] : [])), ...(entry.ownAction?.(world) ?? [])];
}

type Target = Seat & { url: string; actionUrl: string; inputs: RouteInputs; served: boolean };

/** Each seat the route shows its page to (all of them when it has none), with what the page reads. */
async function targetsFor(route: RouteInfo): Promise<Target[]> {
  const targets: Target[] = [];
  for (const seat of seatsFor(route)) {
    const url = routeUrl(route, seat.params);
    const page = await inRolledBackTransaction(handle.db, (tx) =>
      harness.sendOverHttp({ db: tx, engine: handle.engine }, world.actors[seat.actor], { method: "GET", target: url }),
    );
    const actionUrl = routeUrl(route, seat.params, { forAction: true });
    const inputs = routeInputs(route.id, url, page.body, knownForms(route));
    targets.push({ ...seat, url, actionUrl, inputs, served: page.status === 200 });
  }
  const served = targets.filter((t) => t.served);
  return served.length ? served : targets;
}

type FuzzCase =
  | { kind: "query"; target: Target; edits: FieldEdit[] }
  | { kind: "form"; target: Target; base: FormFields; edits: FieldEdit[] }
  | { kind: "request"; target: Target; base: FormFields; mutation: number };

function caseArbitrary(route: RouteInfo, targets: Target[]): fc.Arbitrary<FuzzCase> {
  const target = fc.constantFrom(...targets);
  const base = (t: Target) => fc.constantFrom<FormFields>({}, ...t.inputs.forms);
  const query = target.chain((t) => fieldEdits(t.inputs.query).map((edits): FuzzCase => ({ kind: "query", target: t, edits })));
  const form = target.chain((t) =>
    fc.tuple(base(t), fieldEdits(t.inputs.fields)).map(([b, edits]): FuzzCase => ({ kind: "form", target: t, base: b, edits })),
  );
  const request = target.chain((t) =>
    fc
      .tuple(base(t), fc.nat({ max: requestMutations.length - 1 }))
      .map(([b, mutation]): FuzzCase => ({ kind: "request", target: t, base: b, mutation })),
  );
  return route.hasAction
    ? fc.oneof({ arbitrary: form, weight: 6 }, { arbitrary: query, weight: 1 }, { arbitrary: request, weight: 2 })
    : fc.oneof({ arbitrary: query, weight: 4 }, { arbitrary: request, weight: 2 });
}

function wireRequest(c: FuzzCase): { label: string; wire: WireRequest } {
  if (c.kind === "query") {
    const query = urlEncoded(editedForm({}, c.edits));
    return { label: "hostile query", wire: { method: "GET", target: `${c.target.url}${c.target.url.includes("?") ? "&" : "?"}${query}` } };
  }
  if (c.kind === "form") {
    const body = urlEncoded(editedForm(c.base, c.edits));
    const wire = { method: "POST", target: c.target.actionUrl, headers: { "content-type": "application/x-www-form-urlencoded" }, body };
    return { label: "hostile form", wire };
  }
  const mutation = requestMutations[c.mutation]!;
  const wire = mutation.build({ page: c.target.url, action: c.target.actionUrl }, c.base);
  return { label: mutation.label, wire };
}

/** The request in a few hundred characters: a 1 MB value shows as its first characters and its length. */
function describeCase(c: FuzzCase, wire: WireRequest): string {
  const short = (v: string) => (v.length > 60 ? `${JSON.stringify(v.slice(0, 20))}…(${v.length} chars)` : JSON.stringify(v));
  const edits = c.kind === "request" ? "" : ` ${c.edits.map((e) => `${e.name}:${e.shape}=${short(e.value)}`).join(" ")}`;
  const body = wire.body === undefined ? "" : ` body ${short(String(wire.body))}`;
  return `${wire.method} ${short(wire.target)} as ${c.target.actor}${edits}${body}${wire.host !== undefined ? ` Host ${JSON.stringify(wire.host)}` : ""}`;
}

async function runCase(c: FuzzCase, problems: Map<string, string>) {
  const { label, wire } = wireRequest(c);
  logged = [];
  const outcome = await inRolledBackTransaction(handle.db, async (tx) => {
    const response = await harness.sendOverHttp({ db: tx, engine: handle.engine }, world.actors[c.target.actor], wire);
    if (response.status < 400 || response.status >= 500) return { status: response.status, changed: [] as string[] };
    const changed = await snapshotDatabase(tx, tables).then(
      (after) => changedTables(baseline, after),
      (error: Error) => [`the transaction is unusable (${error.message})`],
    );
    return { status: response.status, changed };
  });
  const answer = `${Math.floor(outcome.status / 100)}xx`;
  answered[answer] = (answered[answer] ?? 0) + 1;
  const problem =
    outcome.status >= 500
      ? `${outcome.status}${logged.length ? `: ${logged[0]!.split("\n")[0]!.slice(0, 200)}` : ""}`
      : outcome.changed.length
        ? `${outcome.status}, yet it changed ${outcome.changed.join(", ")}`
        : null;
  if (!problem) return;
  const key = `${label} → ${problem.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>")}`;
  if (!problems.has(key)) problems.set(key, describeCase(c, wire));
}

describe("route fuzz", () => {
  test.each(harness.routes.map((route) => [route.id, route] as const))("%s", { timeout: 120_000 }, async (_id, route) => {
    const targets = await targetsFor(route);
    const problems = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(caseArbitrary(route, targets), (c) => runCase(c, problems)),
      { seed: SEED + harness.routes.indexOf(route), numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
    expect([...problems].map(([problem, example]) => `${problem}\n    e.g. ${example}`)).toEqual([]);
  });
});
