import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { publisherPostbackDelivery } from "#db/jobs/queues";
import { auditLog, conversions, memberships, postbackAttempts, postbackDeliveries, publisherPostbacks } from "#db/schema";
import { applyToOffer } from "~/modules/applications/applications.server";
import { resolveTenant, type Tenant } from "~/modules/orgs/tenant.server";
import {
  attemptDelivery,
  deliverPostbacks,
  POSTBACK_RETRY_WINDOW_MS,
  queuePostbackDeliveries,
} from "~/modules/publisher-postbacks/deliveries.server";
import type { CallSettings, Resolver } from "~/modules/publisher-postbacks/http-call.server";
import { publisherPostbacksFor } from "~/modules/publisher-postbacks/postback-data.server";
import {
  getPublisherPostbacks,
  removePublisherPostback,
  savePublisherPostback,
  sendTestPublisherPostback,
} from "~/modules/publisher-postbacks/postbacks.server";
import { DELIVERY_PAGE_SIZE } from "~/modules/publisher-postbacks/schemas";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner, createUser, findPartnership, links } from "#tests/support/factories";
import { clearQueue, makeWaitingJobsDue, runDueJobs } from "#tests/support/jobs";
import { createActiveOffer } from "#tests/support/offers";
import { startPostbackReceiver, type Answer, type PostbackReceiver } from "#tests/support/postback-receiver";
import { insertConversion } from "#tests/support/tracking-rows";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { changeConversions, type ConversionChange } from "~/modules/tracking/lifecycle.server";

/*
 * Publisher postbacks on real PostgreSQL: the guard against server-side request forgery at call
 * time (on the resolved address, redirects not followed), deliveries queued set-based from
 * conversion changes, calls retried through the job queue, the publisher's page data, and tenancy.
 */

let handle: DatabaseHandle;
let db: Database;
let receiver: PostbackReceiver;
/** What the receiver answers next, per path; 200 otherwise. */
const answers = new Map<string, Answer>();

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  receiver = await startPostbackReceiver((call) => answers.get(call.path.split("?")[0]!) ?? { status: 200 });
});
afterAll(async () => {
  await receiver?.close();
  await handle?.close();
});
beforeEach(async () => {
  answers.clear();
  receiver.calls.length = 0;
  await clearQueue(handle, publisherPostbackDelivery);
});

const loopback: CallSettings = { allowLoopback: true };
const strict: CallSettings = { allowLoopback: false };
const notFound = { code: "not_found", status: 404 };

/** A merchant with two live offers and a publisher in an active partnership on both. */
async function network() {
  const merchant = await createOrgWithOwner(db, "merchant");
  const publisher = await createOrgWithOwner(db, "publisher");
  const offer = await createActiveOffer(db, merchant.tenant, { visibility: "public", title: "Tents" });
  const other = await createActiveOffer(db, merchant.tenant, { visibility: "public", title: "Stoves", currency: "EUR" });
  for (const o of [offer, other]) {
    await applyToOffer(db, publisher.tenant, { offerId: o.id, message: "", answers: [], acceptTerms: true }, links);
  }
  const partnership = await findPartnership(db, offer.id, publisher.organization.id);
  const otherPartnership = await findPartnership(db, other.id, publisher.organization.id);
  return { merchant, publisher, offer, other, partnership, otherPartnership };
}

/** A pending delivery of the publisher to the URL, as if queued (the form would refuse some of these URLs). */
async function deliveryTo(publisherId: string, url: string) {
  const [row] = await db.insert(postbackDeliveries).values({ publisherId, trigger: "approved", url }).returning();
  return row!;
}

async function attemptsOf(deliveryId: number) {
  return db.select().from(postbackAttempts).where(eq(postbackAttempts.deliveryId, deliveryId)).orderBy(asc(postbackAttempts.attempt));
}

async function deliveryRow(id: number) {
  const [row] = await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.id, id));
  return row!;
}

async function jobStates() {
  return selectRows<{ state: string; retry_count: number }>(
    db,
    sql`select state::text, retry_count from pgboss.job where name = ${publisherPostbackDelivery.name} order by created_on`,
  );
}

const run = (settings: CallSettings) => runDueJobs(handle, publisherPostbackDelivery, deliverPostbacks(db, settings));

describe("the call-time guard", () => {
  let publisherId: string;
  beforeAll(async () => {
    publisherId = (await createOrgWithOwner(db, "publisher")).organization.id;
  });

  async function refused(url: string, settings: CallSettings, message: string) {
    const delivery = await deliveryTo(publisherId, url);
    const result = await attemptDelivery(db, delivery.id, settings, { once: false });
    expect(result).toMatchObject({ status: "failed", permanent: true, httpStatus: null, error: message });
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt).toMatchObject({ attempt: 1, httpStatus: null, error: message });
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: "failed", attempts: 1, lastError: message });
  }

  it("refuses loopback, private, metadata and IPv6 loopback addresses, whatever the form let through", async () => {
    await refused("http://127.0.0.1:9/pb", strict, "Refused: 127.0.0.1 is a loopback address");
    await refused("http://10.0.0.1/pb", loopback, "Refused: 10.0.0.1 is a private address");
    await refused("http://169.254.169.254/latest/meta-data/", loopback, "Refused: 169.254.169.254 is a cloud metadata address");
    await refused("http://[::1]:9/pb", strict, "Refused: ::1 is a loopback address");
    await refused("http://[::ffff:a9fe:a9fe]/", loopback, "Refused: ::ffff:a9fe:a9fe is a cloud metadata address");
    await refused("http://0.0.0.0:9/", loopback, "Refused: 0.0.0.0 is an unspecified address");
    await refused("http://[fd00:ec2::254]/", loopback, "Refused: fd00:ec2::254 is a cloud metadata address");
    await refused("ftp://tracker.example/pb", loopback, "Refused: Use an https:// (or http://) address");
    await refused("https://user:pw@tracker.example/pb", loopback, "Refused: Leave the user name and password out of the address");
    await refused("not a url", loopback, "Refused: The address is not a valid URL");
    expect(receiver.calls).toEqual([]);
  });

  it("checks every address a name resolves to, and connects to the one it checked (no second lookup to rebind)", async () => {
    const privateName: Resolver = async () => [{ address: "10.0.0.5", family: 4 }];
    await refused(
      "https://evil.example/pb",
      { ...loopback, resolve: privateName },
      "Refused: evil.example resolves to 10.0.0.5, a private address",
    );
    const oneBad: Resolver = async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ];
    await refused(
      "http://mixed.example/pb",
      { ...loopback, resolve: oneBad },
      "Refused: mixed.example resolves to 169.254.169.254, a cloud metadata address",
    );
    await refused("http://localhost:9/pb", strict, "Refused: localhost resolves to 127.0.0.1, a loopback address");

    // A resolver that answers the loopback receiver first and a metadata address after: only one lookup is made.
    let lookups = 0;
    const rebinding: Resolver = async () =>
      lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }];
    const delivery = await deliveryTo(publisherId, `http://rebind.example:${receiver.port}/pinned?x=1`);
    const result = await attemptDelivery(db, delivery.id, { ...loopback, resolve: rebinding }, { once: false });
    expect(result).toMatchObject({ status: "delivered", httpStatus: 200 });
    expect(lookups).toBe(1);
    expect(receiver.calls.map((c) => [c.path, c.headers.host])).toEqual([["/pinned?x=1", `rebind.example:${receiver.port}`]]);
  });

  it("records a redirect as the outcome and never follows it", async () => {
    answers.set("/moved", { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
    answers.set("/moved-here", { status: 301, headers: { location: receiver.url("/target") } });
    const toMetadata = await deliveryTo(publisherId, receiver.url("/moved"));
    expect(await attemptDelivery(db, toMetadata.id, loopback, { once: false })).toMatchObject({
      status: "pending",
      httpStatus: 302,
      error: "Redirect to http://169.254.169.254/latest/meta-data/ not followed",
    });
    const toReceiver = await deliveryTo(publisherId, receiver.url("/moved-here"));
    expect(await attemptDelivery(db, toReceiver.id, loopback, { once: true })).toMatchObject({ status: "failed", httpStatus: 301 });
    expect(receiver.calls.map((c) => c.path)).toEqual(["/moved", "/moved-here"]);
    expect(await attemptsOf(toMetadata.id)).toMatchObject([{ attempt: 1, httpStatus: 302 }]);
  });

  it("calls loopback only when the setting is on", async () => {
    await refused(receiver.url("/local"), strict, "Refused: 127.0.0.1 is a loopback address");
    const delivery = await deliveryTo(publisherId, receiver.url("/local"));
    expect(await attemptDelivery(db, delivery.id, loopback, { once: false })).toMatchObject({
      status: "delivered",
      httpStatus: 200,
      error: null,
    });
    expect(receiver.calls.map((c) => c.path)).toEqual(["/local"]);
  });

  it("gives up after the timeout, with the time in the error", async () => {
    answers.set("/slow", "hang");
    const delivery = await deliveryTo(publisherId, receiver.url("/slow"));
    const result = await attemptDelivery(db, delivery.id, { ...loopback, timeoutMs: 300 }, { once: false });
    expect(result).toMatchObject({ status: "pending", permanent: false, httpStatus: null, error: "Timed out after 0.3 s" });
    expect(result!.durationMs).toBeGreaterThanOrEqual(290);
    expect(result!.durationMs).toBeLessThan(3000);
    const slowName: Resolver = () => new Promise(() => {});
    const unresolved = await deliveryTo(publisherId, "https://never-answers.example/pb");
    expect(await attemptDelivery(db, unresolved.id, { ...loopback, resolve: slowName, timeoutMs: 200 }, { once: false })).toMatchObject({
      error: "Timed out after 0.2 s",
    });
  });

  it("says why a call failed when nothing answered", async () => {
    const closed = await startPostbackReceiver();
    const url = closed.url("/gone");
    await closed.close();
    const delivery = await deliveryTo(publisherId, url);
    expect(await attemptDelivery(db, delivery.id, loopback, { once: false })).toMatchObject({
      status: "pending",
      error: `Connection refused by 127.0.0.1:${closed.port}`,
    });
    const unknown: Resolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const unnamed = await deliveryTo(publisherId, "https://nowhere.example/pb");
    expect(await attemptDelivery(db, unnamed.id, { ...loopback, resolve: unknown }, { once: false })).toMatchObject({
      status: "pending",
      error: "Could not resolve nowhere.example",
    });
  });
});

describe("deliveries of conversion changes", () => {
  it("arrive with the macros filled and URL-encoded, through the job queue", async () => {
    const n = await network();
    await savePublisherPostback(
      db,
      n.publisher.tenant,
      {
        urlTemplate: `${receiver.url("/pb")}?c={click_id}&s1={sub1}&s2={sub2}&o={order_id}&e={event}&p={payout}&cur={currency}&st={status}&id={conversion_id}`,
      },
      loopback,
    );
    const conversion = await insertConversion(db, n.partnership.id, {
      sub1: "spring sale & more/é",
      orderId: "A#1 ?",
      status: "approved",
      commissionMinor: 1234,
    });
    await db.transaction((tx) => queuePostbackDeliveries(tx, [{ conversionId: conversion.id, trigger: "approved" }]));
    expect(await run(loopback)).toBe(1);
    expect(receiver.calls).toHaveLength(1);
    const { query, headers } = receiver.calls[0]!;
    expect(Object.fromEntries(query)).toEqual({
      c: conversion.clickId,
      s1: "spring sale & more/é",
      s2: "",
      o: "A#1 ?",
      e: "sale",
      p: "12.34",
      cur: "USD",
      st: "approved",
      id: conversion.id,
    });
    expect(headers["user-agent"]).toMatch(/^Switchboard-Postback/);
    const [delivery] = await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.conversionId, conversion.id));
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastHttpStatus: 200, lastError: null, trigger: "approved" });
    expect(await attemptsOf(delivery!.id)).toMatchObject([{ attempt: 1, httpStatus: 200, error: null }]);
  });

  it("tell the publisher of a conversion changed before fraud screening saw it once, with the status it has then", async () => {
    const n = await network();
    await savePublisherPostback(
      db,
      n.publisher.tenant,
      { urlTemplate: `${receiver.url("/order")}?st={status}&id={conversion_id}` },
      loopback,
    );
    const early = await insertConversion(db, n.partnership.id, { screenedAt: null });
    const screened = await insertConversion(db, n.partnership.id);
    const change = (id: string, what: ConversionChange) =>
      db.transaction((tx) => changeConversions(tx, sql`true`, { kind: "job", label: "test" }, [id], what));
    await change(early.id, { action: "refund", note: null });
    await change(screened.id, { action: "approve" });
    await screenConversions(db, new Date());
    const triggers = await db
      .select({ conversionId: postbackDeliveries.conversionId, trigger: postbackDeliveries.trigger, url: postbackDeliveries.url })
      .from(postbackDeliveries)
      .where(eq(postbackDeliveries.publisherId, n.publisher.organization.id))
      .orderBy(postbackDeliveries.id);
    expect(triggers.map((t) => [t.conversionId, t.trigger, new URL(t.url).searchParams.get("st")])).toEqual([
      [screened.id, "approved", "approved"],
      [early.id, "created", "rejected"],
    ]);
  });

  it("retries a 500 on its schedule (the attempt queues the next one) until the server answers 2xx", async () => {
    const n = await network();
    await savePublisherPostback(db, n.publisher.tenant, { urlTemplate: `${receiver.url("/flaky")}?o={order_id}` }, loopback);
    const conversion = await insertConversion(db, n.partnership.id);
    await db.transaction((tx) => queuePostbackDeliveries(tx, [{ conversionId: conversion.id, trigger: "created" }]));
    answers.set("/flaky", { status: 500 });
    await run(loopback);
    const [delivery] = await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.conversionId, conversion.id));
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastHttpStatus: 500, lastError: "The server answered HTTP 500" });
    // The failed call queued its next attempt 30 s on; the job itself completed.
    expect(await jobStates()).toEqual([
      { state: "completed", retry_count: 0 },
      { state: "created", retry_count: 0 },
    ]);
    const [wait] = await selectRows<{ seconds: number }>(
      db,
      sql`select round(extract(epoch from start_after - created_on))::int as seconds from pgboss.job
        where name = ${publisherPostbackDelivery.name} and state = 'created'`,
    );
    expect(wait!.seconds).toBe(30);
    expect(await run(loopback)).toBe(0);

    answers.set("/flaky", { status: 204 });
    await makeWaitingJobsDue(handle, publisherPostbackDelivery);
    await run(loopback);
    expect(await deliveryRow(delivery!.id)).toMatchObject({ status: "delivered", attempts: 2, lastHttpStatus: 204, lastError: null });
    expect(await attemptsOf(delivery!.id)).toMatchObject([
      { attempt: 1, httpStatus: 500 },
      { attempt: 2, httpStatus: 204 },
    ]);
    expect(await jobStates()).toEqual([
      { state: "completed", retry_count: 0 },
      { state: "completed", retry_count: 0 },
    ]);
    expect(receiver.calls).toHaveLength(2);
    // A job run again (pg-boss retrying it after a database failure) does not call again.
    expect(await attemptDelivery(db, delivery!.id, loopback, { once: false, attempt: 2 })).toBeNull();
  });

  it("fails a delivery when a call fails 24 hours after it was queued, and at once (no retries) when its address is refused", async () => {
    const n = await network();
    const late = await deliveryTo(n.publisher.organization.id, receiver.url("/down"));
    const early = await deliveryTo(n.publisher.organization.id, receiver.url("/down"));
    answers.set("/down", { status: 503 });
    const queuedAgo = (id: number, ms: number) =>
      db
        .update(postbackDeliveries)
        .set({ createdAt: new Date(Date.now() - ms) })
        .where(eq(postbackDeliveries.id, id));
    await queuedAgo(late.id, POSTBACK_RETRY_WINDOW_MS);
    await queuedAgo(early.id, POSTBACK_RETRY_WINDOW_MS - 60_000);
    expect(await attemptDelivery(db, late.id, loopback, { once: false })).toMatchObject({ status: "failed", httpStatus: 503 });
    expect(await attemptDelivery(db, early.id, loopback, { once: false })).toMatchObject({ status: "pending", httpStatus: 503 });
    await clearQueue(handle, publisherPostbackDelivery);

    await db
      .insert(publisherPostbacks)
      .values({ publisherId: n.publisher.organization.id, urlTemplate: "http://10.1.2.3/pb?c={click_id}" });
    const conversion = await insertConversion(db, n.partnership.id);
    await db.transaction((tx) => queuePostbackDeliveries(tx, [{ conversionId: conversion.id, trigger: "created" }]));
    await run(loopback);
    const [refused] = await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.conversionId, conversion.id));
    expect(refused).toMatchObject({ status: "failed", attempts: 1, lastError: "Refused: 10.1.2.3 is a private address" });
    expect(await jobStates()).toEqual([{ state: "completed", retry_count: 0 }]);
    // A job run again does not call again.
    expect(await attemptDelivery(db, refused!.id, loopback, { once: false })).toBeNull();
  });

  it("makes one delivery per change of 1,000, only for publishers with a template, an offer's own beating the global one", async () => {
    const a = await network();
    const b = await network();
    const c = await network();
    await savePublisherPostback(db, a.publisher.tenant, { urlTemplate: "https://a.example/all?o={order_id}&st={status}" }, strict);
    await savePublisherPostback(
      db,
      a.publisher.tenant,
      { offerId: a.offer.id, urlTemplate: "https://a.example/tents?o={order_id}" },
      strict,
    );
    await savePublisherPostback(
      db,
      b.publisher.tenant,
      { offerId: b.other.id, urlTemplate: "https://b.example/stoves?p={payout}{currency}" },
      strict,
    );

    const spread = [a.partnership, a.otherPartnership, b.partnership, b.otherPartnership, c.partnership, c.otherPartnership];
    const bases = await Promise.all(spread.map((p) => insertConversion(db, p.id, { isTest: p === a.otherPartnership })));
    const copies = Array.from({ length: 1000 - bases.length }, (_, i) => {
      const { id: _id, createdAt: _at, statusChangedAt: _changed, ...base } = bases[i % bases.length]!;
      return { ...base, orderId: `bulk-${i}-${randomUUID().slice(0, 6)}`, requestFingerprint: randomUUID() };
    });
    const inserted = await db.insert(conversions).values(copies).returning();
    const all = [...bases, ...inserted];
    const changes = all.map((conv, i) => ({ conversionId: conv.id, trigger: i % 2 ? ("approved" as const) : ("created" as const) }));

    await db.transaction((tx) => queuePostbackDeliveries(tx, changes));
    const rows = await selectRows<{ publisher_id: string; url: string; postback_id: string; conversion_id: string; trigger: string }>(
      db,
      sql`select d.publisher_id, d.url, d.postback_id, d.conversion_id, d.trigger from postback_deliveries d
        where d.publisher_id in (${a.publisher.organization.id}, ${b.publisher.organization.id}, ${c.publisher.organization.id})`,
    );
    const byPartnership = new Map(all.map((conv) => [conv.id, conv.partnershipId]));
    const count = (p: { id: string }) => rows.filter((r) => byPartnership.get(r.conversion_id) === p.id).length;
    const expected = (p: { id: string }) => all.filter((conv) => conv.partnershipId === p.id).length;
    expect(count(a.partnership)).toBe(expected(a.partnership));
    expect(count(a.otherPartnership)).toBe(expected(a.otherPartnership));
    expect(count(b.partnership)).toBe(0);
    expect(count(b.otherPartnership)).toBe(expected(b.otherPartnership));
    expect(count(c.partnership) + count(c.otherPartnership)).toBe(0);
    expect(
      rows
        .filter((r) => byPartnership.get(r.conversion_id) === a.partnership.id)
        .every((r) => r.url.startsWith("https://a.example/tents?o=")),
    ).toBe(true);
    expect(
      rows
        .filter((r) => byPartnership.get(r.conversion_id) === a.otherPartnership.id)
        .every((r) => r.url.startsWith("https://a.example/all?o=")),
    ).toBe(true);
    expect(rows.find((r) => byPartnership.get(r.conversion_id) === b.otherPartnership.id)!.url).toBe("https://b.example/stoves?p=8.00EUR");
    const sample = all.find((conv) => conv.partnershipId === a.otherPartnership.id)!;
    expect(rows.find((r) => r.conversion_id === sample.id)).toMatchObject({
      url: `https://a.example/all?o=${encodeURIComponent(sample.orderId)}&st=pending`,
      trigger: changes.find((ch) => ch.conversionId === sample.id)!.trigger,
    });
    const [jobs] = await selectRows<{ count: number }>(
      db,
      sql`select count(*)::int as count from pgboss.job where name = ${publisherPostbackDelivery.name}`,
    );
    expect(jobs!.count).toBe(rows.length);
  });

  it("makes a delivery for each change of one conversion, and nothing when rolled back or when no one has a template", async () => {
    const n = await network();
    const conversion = await insertConversion(db, n.partnership.id);
    await db.transaction((tx) => queuePostbackDeliveries(tx, [{ conversionId: conversion.id, trigger: "created" }]));
    await queuePostbackDeliveries(db, []);
    await savePublisherPostback(db, n.publisher.tenant, { urlTemplate: "https://n.example/pb?st={status}" }, strict);
    await db
      .transaction(async (tx) => {
        await queuePostbackDeliveries(tx, [{ conversionId: conversion.id, trigger: "created" }]);
        throw new Error("rolled back");
      })
      .catch(() => {});
    expect(await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.conversionId, conversion.id))).toEqual([]);
    await db.transaction((tx) =>
      queuePostbackDeliveries(tx, [
        { conversionId: conversion.id, trigger: "created" },
        { conversionId: conversion.id, trigger: "approved" },
      ]),
    );
    const made = await db
      .select()
      .from(postbackDeliveries)
      .where(eq(postbackDeliveries.conversionId, conversion.id))
      .orderBy(asc(postbackDeliveries.id));
    expect(made.map((d) => d.trigger)).toEqual(["created", "approved"]);
    expect(await jobStates()).toHaveLength(2);
  });
});

describe("the publisher's page", () => {
  it("saves one template per scope (replacing it), audits it, and refuses a bad one next to the field", async () => {
    const n = await network();
    const tenant = n.publisher.tenant;
    await savePublisherPostback(db, tenant, { urlTemplate: "https://t.example/one" }, strict);
    await savePublisherPostback(db, tenant, { urlTemplate: "https://t.example/two" }, strict);
    await savePublisherPostback(db, tenant, { offerId: n.other.id, urlTemplate: "https://t.example/stoves" }, strict);
    const page = await getPublisherPostbacks(db, tenant, {});
    expect(page.templates.map((t) => [t.offerTitle, t.urlTemplate])).toEqual([
      [null, "https://t.example/two"],
      ["Stoves", "https://t.example/stoves"],
    ]);
    expect(page.offers.map((o) => o.id).sort()).toEqual([n.offer.id, n.other.id].sort());
    expect(page.canManage).toBe(true);
    const audits = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.organizationId, n.publisher.organization.id))
      .orderBy(asc(auditLog.id));
    expect(audits.map((a) => a.action).filter((a) => a.startsWith("publisher_postback"))).toEqual([
      "publisher_postback.registered",
      "publisher_postback.changed",
      "publisher_postback.registered",
    ]);

    await expect(savePublisherPostback(db, tenant, { urlTemplate: "http://169.254.169.254/x" }, loopback)).rejects.toMatchObject({
      field: "urlTemplate",
      status: 422,
      message: "169.254.169.254 is a cloud metadata address: postbacks are only sent to public addresses",
    });
    await expect(savePublisherPostback(db, tenant, { urlTemplate: "https://t.example/?a={nope}" }, strict)).rejects.toMatchObject({
      field: "urlTemplate",
    });
  });

  it("sends a test with sample values, once, and shows it in the log with its attempts", async () => {
    const n = await network();
    const tenant = n.publisher.tenant;
    const saved = await savePublisherPostback(
      db,
      tenant,
      { offerId: n.other.id, urlTemplate: `${receiver.url("/test")}?c={click_id}&p={payout}&cur={currency}&s1={sub1}` },
      loopback,
    );
    const test = await sendTestPublisherPostback(db, tenant, { postbackId: saved.id }, loopback);
    expect(test).toMatchObject({ status: "delivered", httpStatus: 200 });
    expect(Object.fromEntries(receiver.calls[0]!.query)).toEqual({ c: "TEST-CLICK-ID", p: "12.50", cur: "EUR", s1: "test-sub1" });

    answers.set("/test", { status: 404 });
    expect(await sendTestPublisherPostback(db, tenant, { postbackId: saved.id }, loopback)).toMatchObject({
      status: "failed",
      error: "The server answered HTTP 404",
    });
    const page = await getPublisherPostbacks(db, tenant, { delivery: test.deliveryId });
    expect(page.deliveries.map((d) => [d.trigger, d.status])).toEqual([
      ["test", "failed"],
      ["test", "delivered"],
    ]);
    expect(page.opened!.attempts).toMatchObject([{ attempt: 1, httpStatus: 200, error: null }]);
    expect(await jobStates()).toEqual([]);
  });

  it("sends at most 30 tests an hour per publisher", async () => {
    const n = await network();
    const saved = await savePublisherPostback(db, n.publisher.tenant, { urlTemplate: receiver.url("/limited") }, loopback);
    for (let i = 0; i < 30; i++) await sendTestPublisherPostback(db, n.publisher.tenant, { postbackId: saved.id }, loopback);
    await expect(sendTestPublisherPostback(db, n.publisher.tenant, { postbackId: saved.id }, loopback)).rejects.toMatchObject({
      code: "rate_limited",
      status: 429,
    });
  });

  it("pages the log newest first by a cursor", async () => {
    const n = await network();
    const publisherId = n.publisher.organization.id;
    await db
      .insert(postbackDeliveries)
      .values(
        Array.from({ length: DELIVERY_PAGE_SIZE + 5 }, (_, i) => ({ publisherId, trigger: "created", url: `https://t.example/${i}` })),
      );
    const first = await getPublisherPostbacks(db, n.publisher.tenant, {});
    expect(first.deliveries).toHaveLength(DELIVERY_PAGE_SIZE);
    expect(first.deliveries[0]!.url).toBe(`https://t.example/${DELIVERY_PAGE_SIZE + 4}`);
    const second = await getPublisherPostbacks(db, n.publisher.tenant, { before: first.next! });
    expect(second.deliveries.map((d) => d.url)).toEqual([4, 3, 2, 1, 0].map((i) => `https://t.example/${i}`));
    expect(second.next).toBeNull();
  });

  it("deleting a template fails its deliveries still owed", async () => {
    const n = await network();
    const saved = await savePublisherPostback(db, n.publisher.tenant, { urlTemplate: "https://t.example/pb?st={status}" }, strict);
    const conversion = await insertConversion(db, n.partnership.id);
    await db.transaction((tx) => queuePostbackDeliveries(tx, [{ conversionId: conversion.id, trigger: "created" }]));
    await removePublisherPostback(db, n.publisher.tenant, { postbackId: saved.id });
    const [delivery] = await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.conversionId, conversion.id));
    expect(delivery).toMatchObject({ status: "failed", postbackId: null, lastError: "The postback was deleted before this was delivered" });
    await run(strict);
    expect(await attemptsOf(delivery!.id)).toEqual([]);
  });
});

describe("tenancy", () => {
  async function memberOf(organizationId: string): Promise<Tenant> {
    const member = await createUser(db);
    await db.insert(memberships).values({ organizationId, userId: member.user.id, role: "member" });
    return (await resolveTenant(db, member.user, organizationId))!;
  }

  it("another publisher's template and delivery are the same 404 as missing ones; merchants have no postbacks", async () => {
    const a = await network();
    const b = await network();
    const saved = await savePublisherPostback(db, a.publisher.tenant, { urlTemplate: `${receiver.url("/a")}?c={click_id}` }, loopback);
    const { deliveryId } = await sendTestPublisherPostback(db, a.publisher.tenant, { postbackId: saved.id }, loopback);
    const calls = receiver.calls.length;
    const B = b.publisher.tenant;

    await expect(publisherPostbacksFor(db, B).get(saved.id)).rejects.toMatchObject(notFound);
    await expect(sendTestPublisherPostback(db, B, { postbackId: saved.id }, loopback)).rejects.toMatchObject(notFound);
    await expect(removePublisherPostback(db, B, { postbackId: saved.id })).rejects.toMatchObject(notFound);
    await expect(getPublisherPostbacks(db, B, { delivery: deliveryId })).rejects.toMatchObject(notFound);
    await expect(savePublisherPostback(db, B, { offerId: a.offer.id, urlTemplate: "https://b.example/pb" }, strict)).rejects.toMatchObject(
      notFound,
    );
    const page = await getPublisherPostbacks(db, B, {});
    expect(page.templates).toEqual([]);
    expect(page.deliveries).toEqual([]);
    await expect(getPublisherPostbacks(db, a.merchant.tenant, {})).rejects.toMatchObject(notFound);
    await expect(savePublisherPostback(db, a.merchant.tenant, { urlTemplate: "https://m.example/pb" }, strict)).rejects.toMatchObject(
      notFound,
    );

    expect(receiver.calls.length).toBe(calls);
    expect(await db.select().from(publisherPostbacks).where(eq(publisherPostbacks.id, saved.id))).toHaveLength(1);
    expect(
      await db
        .select()
        .from(postbackDeliveries)
        .where(and(eq(postbackDeliveries.publisherId, a.publisher.organization.id), eq(postbackDeliveries.trigger, "test"))),
    ).toHaveLength(1);
  });

  it("members read the log; only owners and admins change templates and send tests", async () => {
    const n = await network();
    const saved = await savePublisherPostback(db, n.publisher.tenant, { urlTemplate: `${receiver.url("/m")}` }, loopback);
    const member = await memberOf(n.publisher.organization.id);
    const forbidden = { code: "forbidden", status: 403 };
    await expect(savePublisherPostback(db, member, { urlTemplate: "https://x.example/pb" }, strict)).rejects.toMatchObject(forbidden);
    await expect(removePublisherPostback(db, member, { postbackId: saved.id })).rejects.toMatchObject(forbidden);
    expect((await getPublisherPostbacks(db, member, {})).canManage).toBe(false);
    await expect(sendTestPublisherPostback(db, member, { postbackId: saved.id }, loopback)).rejects.toMatchObject(forbidden);
  });
});
