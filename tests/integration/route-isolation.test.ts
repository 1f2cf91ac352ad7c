import { afterAll, beforeAll, describe, expect, test } from "vitest";
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
import { routeUrl, startRouteHarness, type FormFields, type RouteInfo, type RouteResponse } from "#tests/support/route-harness";
import { buildTenantWorld, type ActorName, type TenantWorld } from "#tests/support/tenant-world";
import { hostileIds, routeCases, type Probe } from "./route-isolation.cases";

/**
 * Every loader and action of every route in the app's Remix manifest, sent as each actor of a
 * two-sided network (see tests/support/tenant-world.ts): a request naming side A's rows is refused
 * (404, the login redirect, or the route's declared refusal) for everyone but who it belongs to, and
 * leaves every table as it was. ADR 0011 explains the rules.
 */

const ACTORS: ActorName[] = ["anonymous", "merchantA", "publisherA", "merchantB", "publisherB", "staff"];
/** Who must never see side A's secrets. */
const OUTSIDERS: ActorName[] = ["anonymous", "merchantB", "publisherB"];
/**
 * Left out of "side A's rows": a failed log-in counts against the account's address by design, so a
 * stranger can (and should) move A's per-account limit; the row holds no data of A's.
 */
const NOT_A_SIDE_DATA = ["public.rate_limits"];

const harness = await startRouteHarness();
let handle: DatabaseHandle;
let tracking: StartedTrackingEngine;
let world: TenantWorld;
let tables: string[];
let baseline: DatabaseSnapshot;
let aBaseline: DatabaseSnapshot;

beforeAll(async () => {
  handle = await createTestDatabase();
  tracking = await startTestTracking(handle);
  harness.attachTracking(tracking);
  world = await buildTenantWorld(handle.db);
  tables = await listTables(handle.db);
  baseline = await snapshotDatabase(handle.db, tables);
  aBaseline = await snapshotDatabase(handle.db, aSideTables(), world.aSideIdentifiers);
});

afterAll(async () => {
  await tracking?.close();
  await handle?.close();
  await harness.close();
});

function aSideTables() {
  return tables.filter((t) => !NOT_A_SIDE_DATA.includes(t));
}

const inTree = (route: RouteInfo, id: string) => route.id === id || route.ancestors.includes(id);
const isStaffRoute = (route: RouteInfo) => inTree(route, "routes/staff");
const isTenantRoute = (route: RouteInfo) => inTree(route, "routes/app");

type Sent = { response: RouteResponse; changed: string[]; aChanged: string[] };

/** Sends the request in a rolled-back transaction and compares the database it leaves with the fixture's. */
async function send(actor: ActorName, method: "GET" | "POST", url: string, form?: FormFields): Promise<Sent> {
  return inRolledBackTransaction(handle.db, async (tx) => {
    const response = await harness.send(tx, world.actors[actor], { method, url, form });
    const changed = changedTables(baseline, await snapshotDatabase(tx, tables));
    const aChanged = changedTables(aBaseline, await snapshotDatabase(tx, aSideTables(), world.aSideIdentifiers));
    return { response, changed, aChanged };
  });
}

type Refusal = { describe: string; matches: (r: RouteResponse) => boolean };
const notFound: Refusal = { describe: "404", matches: (r) => r.status === 404 };
const loginRedirect: Refusal = {
  describe: "the login redirect",
  matches: (r) => r.status === 302 && Boolean(r.location?.startsWith("/login?redirectTo=")),
};
/** Staff have no organization, so a tenant page sends them to create one, before any lookup. */
const onboardingRedirect: Refusal = {
  describe: "the onboarding redirect",
  matches: (r) => r.status === 302 && r.location === "/onboarding",
};
/**
 * A tenant page for someone with no organization (anonymous, staff): a redirect (to log in, to set
 * one up, or a loader's own redirect that runs first) or a 404, never the page.
 */
const noPage: Refusal = {
  describe: "a redirect or 404, not the page",
  matches: (r) => (r.status >= 300 && r.status < 400) || r.status === 404,
};
const status = (code: number): Refusal => ({ describe: String(code), matches: (r) => r.status === code });

function refusalFor(route: RouteInfo, actor: ActorName, probe?: Probe): Refusal {
  if (isStaffRoute(route)) return notFound;
  const declared = probe?.refusedWith?.[actor];
  if (declared !== undefined) return status(declared);
  if (actor === "anonymous") return loginRedirect;
  if (actor === "staff" && isTenantRoute(route)) return onboardingRedirect;
  return notFound;
}

function shown(r: RouteResponse) {
  return `${r.status}${r.location ? ` → ${r.location}` : ""}`;
}

/** Side A's secrets in the response, leaving out what the request itself named (echoing it back reveals nothing). */
function leakedSecrets(r: RouteResponse, url: string, form: FormFields = {}, revealed: string[] = []) {
  const sent = `${decodeURIComponent(url)} ${JSON.stringify(form)}`;
  return world.secrets.filter((s) => !sent.includes(s) && !revealed.includes(s) && r.body.includes(s));
}

async function checkProbe(route: RouteInfo, probe: Probe, method: "GET" | "POST", problems: string[]) {
  const url = routeUrl(route, probe.params, { forAction: method === "POST", query: new URLSearchParams(probe.search).toString() });
  const request = `${method} ${url}${probe.form ? ` ${JSON.stringify(probe.form)}` : ""}`;
  for (const actor of ACTORS) {
    const { response, changed } = await send(actor, method, url, probe.form);
    const where = `${request} as ${actor}: ${shown(response)}`;
    if (actor === probe.as) {
      if (response.status >= 400)
        problems.push(`${where}, but ${actor} owns this and must be answered (is the fixture in a state the route accepts?)`);
      if (method === "POST" && probe.changes !== false && changed.length === 0)
        problems.push(`${where}, but the accepted request changed nothing: the change check would not see a leak`);
      continue;
    }
    if (probe.also?.includes(actor)) {
      if (response.status >= 400) problems.push(`${where}, but ${actor} may see this`);
      if (changed.length) problems.push(`${where}, and it changed ${changed.join(", ")}`);
      continue;
    }
    const refusal = refusalFor(route, actor, probe);
    if (!refusal.matches(response)) problems.push(`${where}, expected ${refusal.describe}`);
    if (changed.length) problems.push(`${where}, and it changed ${changed.join(", ")}`);
    if (OUTSIDERS.includes(actor)) {
      const leaked = leakedSecrets(response, url, probe.form, probe.reveals);
      if (leaked.length) problems.push(`${where}, and the response shows side A's ${leaked.join(", ")}`);
    }
  }
}

/** A loader that needs no params, as everyone: nobody outside side A sees A's secrets, and nothing changes. */
async function checkLoader(route: RouteInfo, problems: string[]) {
  const url = routeUrl(route);
  for (const actor of ACTORS) {
    const { response, changed } = await send(actor, "GET", url);
    const where = `GET ${url} as ${actor}: ${shown(response)}`;
    if (response.status >= 500) problems.push(`${where}, a server error`);
    if (isStaffRoute(route) && actor !== "staff" && !notFound.matches(response)) problems.push(`${where}, expected 404`);
    if (isTenantRoute(route) && (actor === "anonymous" || actor === "staff") && !noPage.matches(response))
      problems.push(`${where}, expected ${noPage.describe}`);
    if (changed.length) problems.push(`${where}, and it changed ${changed.join(", ")}`);
    if (OUTSIDERS.includes(actor)) {
      const leaked = leakedSecrets(response, url);
      if (leaked.length) problems.push(`${where}, and the response shows side A's ${leaked.join(", ")}`);
    }
  }
}

/** An action on the caller's own rows, as everyone outside side A: A's rows stay as they were. */
async function checkOwnAction(route: RouteInfo, form: FormFields, problems: string[]) {
  const url = routeUrl(route, {}, { forAction: true });
  const fields = { ...hostileIds(world), ...form };
  for (const actor of [...OUTSIDERS, "staff"] as ActorName[]) {
    const { response, aChanged } = await send(actor, "POST", url, fields);
    const where = `POST ${url} ${JSON.stringify(form)} as ${actor}: ${shown(response)}`;
    if (response.status >= 500) problems.push(`${where}, a server error`);
    const refusal = refusalFor(route, actor);
    if (actor === "anonymous" && (isTenantRoute(route) || isStaffRoute(route)) && !refusal.matches(response))
      problems.push(`${where}, expected ${refusal.describe}`);
    if (aChanged.length) problems.push(`${where}, and it changed side A's rows in ${aChanged.join(", ")}`);
    if (OUTSIDERS.includes(actor)) {
      const leaked = leakedSecrets(response, url, fields);
      if (leaked.length) problems.push(`${where}, and the response shows side A's ${leaked.join(", ")}`);
    }
  }
}

/** What a route needs from the case table before the test can exercise it. */
function missingCase(route: RouteInfo): string | null {
  const entry = routeCases[route.id];
  if (route.hasLoader && route.params.length && !entry?.loader)
    return `its loader needs :${route.params.join(", :")}: add loader probes naming side A's rows`;
  if (route.hasAction && !entry?.action && !entry?.ownAction)
    return "it has an action: add action probes (one per intent, naming side A's rows) or ownAction forms";
  return null;
}

describe("route isolation", () => {
  test("every case names a route of the manifest", () => {
    const ids = new Set(harness.routes.map((r) => r.id));
    expect(Object.keys(routeCases).filter((id) => !ids.has(id))).toEqual([]);
  });

  test.each(harness.routes.map((route) => [route.id, route] as const))("%s", async (_id, route) => {
    const missing = missingCase(route);
    if (missing) expect.fail(`${route.id} (${route.path}) has no isolation case: ${missing} in tests/integration/route-isolation.cases.ts`);
    const entry = routeCases[route.id] ?? {};
    const problems: string[] = [];
    if (route.hasLoader && !route.params.length) await checkLoader(route, problems);
    for (const probe of entry.loader?.(world) ?? []) await checkProbe(route, probe, "GET", problems);
    for (const probe of entry.action?.(world) ?? []) await checkProbe(route, probe, "POST", problems);
    for (const form of entry.ownAction?.(world) ?? []) await checkOwnAction(route, form, problems);
    expect(problems).toEqual([]);
  });
});
