import { Validator } from "@seriousme/openapi-schema-validator";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { apiIdempotency, apiKeys, auditLog, conversionEvents, conversions } from "#db/schema";
import { createApiHandler } from "~/modules/api/handler.server";
import { purgeIdempotencyRecords } from "~/modules/api/idempotency.server";
import { createApiKey, listApiKeys, revokeApiKey } from "~/modules/api/keys.server";
import { openApiDocument } from "~/modules/api/openapi.server";
import { apiOperations } from "~/modules/api/operations.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { issueInvoicesNow } from "~/modules/invoices/issuing.server";
import { recordInvoicePayment } from "~/modules/invoices/settlement.server";
import { runPayouts } from "~/modules/payouts/run.server";
import { payoutSettingsSchema } from "~/modules/payouts/schemas";
import { savePayoutSettings } from "~/modules/payouts/settings.server";
import { approveConversions } from "~/modules/tracking/conversion-review.server";
import { createTestDatabase } from "#tests/support/database";
import { createMember, links } from "#tests/support/factories";
import { buildTrackingWorld, type TrackingWorld } from "#tests/support/tracking";
import { insertConversion } from "#tests/support/tracking-rows";

/* /api/v1 on real PostgreSQL: keys, isolation, input errors, idempotency, rate limits, paging, the document. */

let handle: DatabaseHandle;
let a: TrackingWorld;
let b: TrackingWorld;
let merchantKey: string;
let publisherKey: string;
let otherMerchantKey: string;
const apiLinks = { appUrl: links.appUrl, linkUrl: (code: string) => `${links.appUrl}/c/${code}` };
let api: ReturnType<typeof createApiHandler>;

beforeAll(async () => {
  handle = await createTestDatabase();
  api = createApiHandler({ db: handle.db, links: apiLinks, maxBodyBytes: 10_000 });
  a = await buildTrackingWorld(handle.db, { deepLinkDomains: "shop.example" });
  b = await buildTrackingWorld(handle.db);
  merchantKey = (await createApiKey(handle.db, a.merchant.tenant, { name: "Shop backend" })).key;
  publisherKey = (await createApiKey(handle.db, a.publisher.tenant, { name: "Site" })).key;
  otherMerchantKey = (await createApiKey(handle.db, b.merchant.tenant, { name: "Other" })).key;
}, 60_000);

afterAll(async () => {
  await handle?.close();
});

/** An answer's JSON: a resource, a page or an error. */
type ApiBody = {
  error: { code: string; message: string; details: { field: string }[] };
  data: { id: string; customer_id: unknown; status: string }[];
  next_cursor: string | null;
  [field: string]: unknown;
};

type Call = { key?: string | null; body?: unknown; rawBody?: string; idempotencyKey?: string; contentType?: string };

async function call(method: string, path: string, options: Call = {}, handler = api) {
  const headers = new Headers();
  if (options.key !== null) headers.set("authorization", `Bearer ${options.key ?? merchantKey}`);
  if (options.idempotencyKey) headers.set("idempotency-key", options.idempotencyKey);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers.set("content-type", options.contentType ?? "application/json");
  const response = await handler(new Request(`${links.appUrl}/api/v1${path}`, { method, headers, body }));
  return { status: response.status, headers: response.headers, body: (await response.json()) as ApiBody };
}

let idempotency = 0;
const freshKey = () => `test-${++idempotency}-${Date.now()}`;

describe("API keys", () => {
  it("are created shown once, listed by prefix, revoked and audited; members may not manage them", async () => {
    const created = await createApiKey(handle.db, a.merchant.tenant, { name: "Temporary" });
    expect(created.key).toMatch(/^sb_live_[a-z0-9]{32}$/);
    const [stored] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(stored!.keyHash).not.toContain(created.key.slice(8));
    expect(stored!.prefix).toBe(created.key.slice(0, 12));
    const listed = await listApiKeys(handle.db, a.merchant.tenant);
    expect(listed.find((k) => k.id === created.id)).toMatchObject({
      name: "Temporary",
      prefix: created.prefix,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.key);

    expect((await call("GET", "/offers", { key: created.key })).status).toBe(200);
    const [used] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(used!.lastUsedAt).not.toBeNull();

    expect(await revokeApiKey(handle.db, a.merchant.tenant, created.id)).toEqual({ revoked: true });
    const refused = await call("GET", "/offers", { key: created.key });
    expect([refused.status, refused.body.error.code]).toEqual([401, "unauthorized"]);
    const actions = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(actions.map((r) => r.action).sort()).toEqual(["api_key.create", "api_key.revoke"]);

    await expect(revokeApiKey(handle.db, b.merchant.tenant, created.id)).rejects.toMatchObject({ status: 404 });
    const member = await createMember(handle.db, a.merchant.organization.id, "member");
    await expect(createApiKey(handle.db, member, { name: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(listApiKeys(handle.db, member)).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a missing, unknown or malformed key with 401", async () => {
    for (const key of [null, "sb_live_unknown", "nonsense"]) {
      const answer = await call("GET", "/offers", { key });
      expect([answer.status, answer.body.error.code]).toEqual([401, "unauthorized"]);
    }
  });
});

describe("endpoints", () => {
  it("lists and updates the merchant's offers, as the key's actor", async () => {
    const list = await call("GET", "/offers");
    expect(list.status).toBe(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([a.offer.id]);
    const patched = await call("PATCH", `/offers/${a.offer.id}`, { body: { title: "Renamed by the API", cookie_days: 45 } });
    expect([patched.status, patched.body.title, patched.body.cookie_days]).toEqual([200, "Renamed by the API", 45]);
  });

  it("approves, rejects and reverses conversions with the key as the actor", async () => {
    const approve = await insertConversion(handle.db, a.partnership.id);
    const reject = await insertConversion(handle.db, a.partnership.id);
    const approved = await call("POST", `/conversions/${approve.id}/approve`, { idempotencyKey: freshKey() });
    expect([approved.status, approved.body]).toEqual([200, { id: approve.id, status: "approved", changed: true }]);
    const rejected = await call("POST", `/conversions/${reject.id}/reject`, {
      idempotencyKey: freshKey(),
      body: { reason: "duplicate", note: "Same order twice" },
    });
    expect([rejected.status, rejected.body.status]).toEqual([200, "rejected"]);
    const reversed = await call("POST", `/conversions/${approve.id}/reverse`, { idempotencyKey: freshKey(), body: { reason: "returned" } });
    expect([reversed.status, reversed.body.status]).toEqual([200, "reversed"]);
    const refused = await call("POST", `/conversions/${reject.id}/approve`, { idempotencyKey: freshKey() });
    expect([refused.status, refused.body.error.code]).toEqual([409, "refused"]);
    const [event] = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, reject.id));
    expect([event!.actorUserId, event!.actorLabel]).toEqual([null, `API key ${merchantKey.slice(0, 12)}…`]);
  });

  it("lists the publisher's partnerships and conversions, and builds links by the app's rules", async () => {
    const partnerships = await call("GET", "/partnerships", { key: publisherKey });
    expect(partnerships.body.data.map((p: { id: string }) => p.id)).toEqual([a.partnership.id]);
    const conversionsSeen = await call("GET", "/conversions?limit=100", { key: publisherKey });
    expect(conversionsSeen.status).toBe(200);
    expect(conversionsSeen.body.data.every((c: { customer_id: unknown }) => c.customer_id === null)).toBe(true);
    const link = await call("POST", "/links", {
      key: publisherKey,
      idempotencyKey: freshKey(),
      body: { partnership_id: a.partnership.id, sub1: "newsletter", url: "https://shop.example/shoes" },
    });
    expect([link.status, link.body.error?.message]).toEqual([200, undefined]);
    expect(link.body.url).toContain(a.link.code);
    expect(link.body.url).toContain("newsletter");
    const offDomain = await call("POST", "/links", {
      key: publisherKey,
      idempotencyKey: freshKey(),
      body: { partnership_id: a.partnership.id, url: "https://evil.example/" },
    });
    expect([offDomain.status, offDomain.body.error.code, offDomain.body.error.details[0]?.field]).toEqual([422, "invalid_link", "url"]);
  });

  it("refuses a publisher key on a merchant endpoint (and the other way round) with 403", async () => {
    const asPublisher = await call("GET", "/offers", { key: publisherKey });
    expect([asPublisher.status, asPublisher.body.error.code]).toEqual([403, "wrong_organization_kind"]);
    const asMerchant = await call("GET", "/partnerships");
    expect([asMerchant.status, asMerchant.body.error.code]).toEqual([403, "wrong_organization_kind"]);
  });
});

describe("money and reports", () => {
  it("lists the merchant's invoices and the publisher's payouts, each only to its side", async () => {
    const staff = await createStaffUser(handle.db, { email: "api-money@network.example", password: "api money pass 1", name: "Staff" });
    const billed = await insertConversion(handle.db, a.partnership.id, {
      commissionMinor: 7_000,
      feeMinor: 1_400,
      merchantCostMinor: 8_400,
    });
    await approveConversions(handle.db, a.merchant.tenant, [billed.id]);
    const { issued } = await issueInvoicesNow(handle.db, staff, a.merchant.organization.id, new Date(Date.now() + 1_000), links);
    const invoices = await call("GET", "/invoices");
    expect(invoices.status).toBe(200);
    expect(invoices.body.data).toEqual([
      expect.objectContaining({ id: issued[0]!.id, status: "issued", total_minor: 8_400, open_minor: 8_400, overdue: false }),
    ]);
    expect((await call("GET", "/invoices", { key: otherMerchantKey })).body.data).toEqual([]);
    expect((await call("GET", "/invoices", { key: publisherKey })).status).toBe(403);

    await recordInvoicePayment(handle.db, staff, issued[0]!.id, { amount: "84.00", receivedOn: "2026-11-20", reference: "WIRE-1" }, links);
    await savePayoutSettings(
      handle.db,
      a.publisher.tenant,
      payoutSettingsSchema.parse({ method: "paypal", paypalEmail: "money@publisher.example", thresholds: {} }),
    );
    await runPayouts(handle.db, staff);
    const payouts = await call("GET", "/payouts", { key: publisherKey });
    expect(payouts.status).toBe(200);
    expect(payouts.body.data).toEqual([expect.objectContaining({ status: "pending", amount_minor: 7_000, method: "paypal" })]);
    expect(JSON.stringify(payouts.body)).not.toContain("money@publisher.example");
    expect((await call("GET", "/payouts")).status).toBe(403);
  });

  it("reads the report the Reports page shows, per currency, for the key's organization only", async () => {
    const report = await call("GET", "/reports?preset=7d&by=offer&tz=Europe/Berlin");
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ time_zone: "Europe/Berlin", by: "offer" });
    const publisher = await call("GET", "/reports?preset=30d&by=sub", { key: publisherKey });
    expect(publisher.status).toBe(200);
    const rows = (publisher.body.currencies as { totals: { fee_minor: unknown } }[]).map((c) => c.totals.fee_minor);
    expect(rows.every((fee) => fee === null)).toBe(true);
  });
});

describe("isolation", () => {
  it("answers another tenant's offer, conversion and partnership as not found", async () => {
    const theirs = await insertConversion(handle.db, b.partnership.id);
    const patch = await call("PATCH", `/offers/${b.offer.id}`, { body: { title: "Not mine at all" } });
    const missing = await call("PATCH", `/offers/${crypto.randomUUID()}`, { body: { title: "Not mine at all" } });
    expect([patch.status, patch.body]).toEqual([missing.status, missing.body]);
    expect(patch.status).toBe(404);
    const approve = await call("POST", `/conversions/${theirs.id}/approve`, { idempotencyKey: freshKey() });
    expect([approve.status, approve.body.error.code]).toEqual([404, "not_found"]);
    const link = await call("POST", "/links", {
      key: publisherKey,
      idempotencyKey: freshKey(),
      body: { partnership_id: b.partnership.id },
    });
    expect([link.status, link.body.error.code]).toEqual([404, "not_found"]);
    const lists = await call("GET", "/conversions?limit=100", { key: otherMerchantKey });
    expect(lists.body.data.map((c: { id: string }) => c.id)).toEqual([theirs.id]);
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, theirs.id));
    expect(row!.status).toBe("pending");
  });
});

describe("bad input", () => {
  const cases: [string, string, Call, number, string][] = [
    ["GET", "/offers?limit=500", {}, 422, "invalid_input"],
    ["GET", "/offers?status=nonsense", {}, 422, "invalid_input"],
    ["GET", "/offers?cursor=garbage", {}, 400, "invalid_cursor"],
    ["GET", "/conversions?from=yesterday", {}, 422, "invalid_input"],
    ["GET", "/conversions?cursor=bm90IGEgY3Vyc29y", {}, 400, "invalid_cursor"],
    ["GET", "/partnerships?limit=0", { key: "publisher" }, 422, "invalid_input"],
    ["PATCH", "/offers/OFFER", { rawBody: "{not json" }, 400, "malformed_json"],
    ["PATCH", "/offers/OFFER", { body: { cookie_days: 0 } }, 422, "invalid_input"],
    ["PATCH", "/offers/OFFER", { body: { currency: "EUR" } }, 422, "invalid_input"],
    ["PATCH", "/offers/OFFER", { rawBody: "title=x", contentType: "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
    ["POST", "/conversions/CONVERSION/approve", {}, 400, "idempotency_key_required"],
    ["POST", "/conversions/CONVERSION/reject", { idempotencyKey: "r1", body: { reason: "because" } }, 422, "invalid_input"],
    ["POST", "/conversions/CONVERSION/reverse", { idempotencyKey: "r2", rawBody: "[1]" }, 400, "malformed_json"],
    ["POST", "/links", { key: "publisher", idempotencyKey: "l1", body: { partnership_id: "nope" } }, 422, "invalid_input"],
    [
      "POST",
      "/links",
      { key: "publisher", idempotencyKey: "l2", body: { partnership_id: "PARTNERSHIP", sub1: "x".repeat(500) } },
      422,
      "invalid_input",
    ],
    ["GET", "/invoices?status=overdue", {}, 422, "invalid_input"],
    ["GET", "/invoices?cursor=garbage", {}, 400, "invalid_cursor"],
    ["GET", "/payouts?to=soon", { key: "publisher" }, 422, "invalid_input"],
    ["GET", "/payouts?cursor=bm90IGEgY3Vyc29y", { key: "publisher" }, 400, "invalid_cursor"],
    ["GET", "/reports?preset=forever", {}, 422, "invalid_input"],
    ["GET", "/reports?by=sub", {}, 422, "invalid_input"],
    ["GET", "/reports?preset=custom&from=2026-01-01&to=2027-06-01", {}, 422, "invalid_input"],
    ["GET", "/reports?tz=Mars/Olympus", { key: "publisher" }, 422, "invalid_input"],
    ["GET", "/offers/OFFER", {}, 405, "method_not_allowed"],
    ["GET", "/nothing-here", {}, 404, "not_found"],
  ];
  it.each(cases)("%s %s → %s %s", async (method, template, options, status, code) => {
    const conversion = await insertConversion(handle.db, a.partnership.id);
    const path = template.replace("OFFER", a.offer.id).replace("CONVERSION", conversion.id).replace("PARTNERSHIP", a.partnership.id);
    const answer = await call(method, path, { ...options, key: options.key === "publisher" ? publisherKey : options.key });
    expect([answer.status, answer.body.error?.code]).toEqual([status, code]);
    if (code === "invalid_input") expect(answer.body.error.details.length).toBeGreaterThan(0);
  });
});

describe("idempotency", () => {
  it("replays the first answer without acting twice, refuses the key with another request, and is purged after a day", async () => {
    const conversion = await insertConversion(handle.db, a.partnership.id);
    const key = freshKey();
    const first = await call("POST", `/conversions/${conversion.id}/reject`, { idempotencyKey: key, body: { reason: "fraud" } });
    const again = await call("POST", `/conversions/${conversion.id}/reject`, { idempotencyKey: key, body: { reason: "fraud" } });
    expect(first.status).toBe(200);
    expect([again.status, again.body, again.headers.get("idempotent-replayed")]).toEqual([200, first.body, "true"]);
    const events = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, conversion.id));
    expect(events.filter((e) => e.toStatus === "rejected")).toHaveLength(1);
    const other = await call("POST", `/conversions/${conversion.id}/reject`, { idempotencyKey: key, body: { reason: "duplicate" } });
    expect([other.status, other.body.error.code]).toEqual([422, "idempotency_key_reused"]);

    const refusedKey = freshKey();
    const refused = await call("POST", `/conversions/${conversion.id}/approve`, { idempotencyKey: refusedKey });
    const refusedAgain = await call("POST", `/conversions/${conversion.id}/approve`, { idempotencyKey: refusedKey });
    expect([refused.status, refusedAgain.status, refusedAgain.body]).toEqual([409, 409, refused.body]);

    await handle.db
      .update(apiIdempotency)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(apiIdempotency.idempotencyKey, key));
    expect(await purgeIdempotencyRecords(handle.db, new Date())).toBeGreaterThanOrEqual(1);
  });

  it("tells a repeat that arrives while the first still runs to wait (409)", async () => {
    const conversion = await insertConversion(handle.db, a.partnership.id);
    const key = freshKey();
    const [first, second] = await Promise.all([
      call("POST", `/conversions/${conversion.id}/approve`, { idempotencyKey: key }),
      call("POST", `/conversions/${conversion.id}/approve`, { idempotencyKey: key }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const events = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, conversion.id));
    expect(events.filter((e) => e.toStatus === "approved")).toHaveLength(1);
  });
});

describe("rate limit", () => {
  it("sends the RateLimit headers and refuses with 429 and Retry-After after the limit", async () => {
    const limited = createApiHandler({ db: handle.db, links: apiLinks, maxBodyBytes: 10_000, rateLimit: { points: 3, duration: 60 } });
    const { key } = await createApiKey(handle.db, a.merchant.tenant, { name: "Limited" });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call("GET", "/offers", { key }, limited));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((r) => r.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe("3");
    expect(Number(answers[3]!.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(answers[3]!.body.error.code).toBe("rate_limited");
  });
});

describe("pagination", () => {
  it("walks every conversion exactly once, and filters by status and date", async () => {
    const world = await buildTrackingWorld(handle.db);
    const { key } = await createApiKey(handle.db, world.merchant.tenant, { name: "Pager" });
    const at = new Date("2026-03-01T12:00:00Z");
    const inserted = [];
    for (let i = 0; i < 23; i++) {
      inserted.push(
        await insertConversion(handle.db, world.partnership.id, {
          createdAt: i % 2 ? at : new Date(at.getTime() + i * 1000),
          status: i % 3 ? "pending" : "approved",
        }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call("GET", `/conversions?limit=5${cursor ? `&cursor=${cursor}` : ""}`, { key });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((c: { id: string }) => c.id));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen.sort()).toEqual(inserted.map((c) => c.id).sort());
    const approved = await call("GET", "/conversions?limit=100&status=approved&from=2026-03-01&to=2026-03-01", { key });
    expect(approved.body.data).toHaveLength(inserted.filter((c) => c.status === "approved").length);
    const none = await call("GET", "/conversions?from=2026-03-02", { key });
    expect(none.body.data).toHaveLength(0);
  });
});

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document with every registered operation and nothing else", async () => {
    const document = openApiDocument(links.appUrl);
    const result = await new Validator().validate(structuredClone(document) as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(apiOperations.map((op) => `${op.method} /api/v1${op.path}`).sort());
    const served = await call("GET", "/openapi.json", { key: null });
    expect([served.status, served.body.openapi]).toEqual([200, "3.1.0"]);
  });
});
