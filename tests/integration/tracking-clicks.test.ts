import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { clicks, offers } from "#db/schema";
import { changePartnershipStatus } from "~/modules/applications/partnerships.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { changeOfferStatus } from "~/modules/offers/offers.server";
import { reviewOrganization } from "~/modules/orgs/review.server";
import { verifyClickId } from "~/modules/tracking/click-id";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";
import { createTestDatabase } from "#tests/support/database";
import { links } from "#tests/support/factories";
import { TEST_IP_HMAC_KEY, testClickKeys, type TrackingWorld } from "#tests/support/tracking";
import {
  startTrackingServer,
  untilCached,
  worldCached,
  type StartedTrackingServer,
  type TrackingServer,
} from "#tests/support/tracking-http";

/*
 * GET /c/<code> through the server's own request handling on real PostgreSQL: the redirect, what it
 * refuses, the click rows the recorder writes after it, and two engines (two app instances) sharing
 * one database.
 */
const LANDING = "https://northwind.example/tents";
/** A public address the shipped IP-to-country file places in the United States. */
const US_IP = "8.8.8.8";

let handle: DatabaseHandle;
let served: StartedTrackingServer;
let tracking: StartedTrackingEngine;
let app: TrackingServer;
let world: StartedTrackingServer["world"];

beforeAll(async () => {
  handle = await createTestDatabase();
  served = await startTrackingServer(handle);
  ({ tracking, app, world } = served);
});

afterAll(async () => {
  await served?.close();
  await handle?.close();
});

const clickPath = (w: TrackingWorld, query = "") => `/c/${w.link.code}${query}`;

function clickIdIn(location: string, parameter = "click_id") {
  const clickId = new URL(location).searchParams.get(parameter);
  expect(clickId, `${parameter} in ${location}`).toBeTruthy();
  return clickId!;
}

async function clickRows(w: TrackingWorld) {
  await tracking.recorder.flush();
  return handle.db.select().from(clicks).where(eq(clicks.linkId, w.link.id)).orderBy(clicks.clickedAt);
}

describe("the redirect", () => {
  let w: TrackingWorld;
  beforeAll(async () => {
    w = await world();
  });

  it("answers 302 to the landing URL with a click id that verifies, and is never cached", async () => {
    const answer = await app.click(clickPath(w));
    expect(answer.status).toBe(302);
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.location!.startsWith(`${LANDING}?click_id=`)).toBe(true);
    const fields = verifyClickId(testClickKeys(), clickIdIn(answer.location!));
    expect(fields).toMatchObject({ linkId: w.link.id, bot: false });
    expect(Math.abs(fields!.clickedAt - Date.now() / 1000)).toBeLessThan(5);
  });

  it("names the click id with the offer's own parameter", async () => {
    const custom = await world();
    await handle.db.update(offers).set({ clickIdParam: "aff_click" }).where(eq(offers.id, custom.offer.id));
    await untilCached(tracking, () => tracking.cache.offer(custom.offer.id)?.clickIdParam === "aff_click");
    const answer = await app.click(clickPath(custom));
    expect(answer.status).toBe(302);
    const location = new URL(answer.location!);
    expect(location.searchParams.has("click_id")).toBe(false);
    expect(verifyClickId(testClickKeys(), clickIdIn(answer.location!, "aff_click"))?.linkId).toBe(custom.link.id);
  });

  it("fills the landing URL's macros URL-encoded", async () => {
    const macros = await world({
      landingUrl:
        "https://northwind.example/p/{offer_id}?c={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&pub={publisher_id}",
    });
    const subs = ["a&b c", "ünïcødé ✓", "x=y#z?", "50%", "/slash\\back"];
    const query = subs.map((s, i) => `sub${i + 1}=${encodeURIComponent(s)}`).join("&");
    const answer = await app.click(clickPath(macros, `?${query}`));
    expect(answer.status).toBe(302);
    const clickId = clickIdIn(answer.location!, "c");
    expect(answer.location).toBe(
      `https://northwind.example/p/${macros.offer.id}?c=${clickId}&${subs.map((s, i) => `s${i + 1}=${encodeURIComponent(s)}`).join("&")}` +
        `&pub=${macros.publisher.organization.id}`,
    );
    const params = new URL(answer.location!).searchParams;
    subs.forEach((s, i) => expect(params.get(`s${i + 1}`)).toBe(s));
    expect(params.has("click_id")).toBe(false);
  });

  it("leaves a macro whose sub id was not sent empty", async () => {
    const macros = await world({ landingUrl: "https://northwind.example/p?s1={sub1}&s2={sub2}" });
    const answer = await app.click(clickPath(macros, "?sub2=only"));
    const params = new URL(answer.location!).searchParams;
    expect(params.get("s1")).toBe("");
    expect(params.get("s2")).toBe("only");
    expect(verifyClickId(testClickKeys(), params.get("click_id")!)?.linkId).toBe(macros.link.id);
  });

  it("follows a deep link on the offer's domain or a subdomain of it, with the click id", async () => {
    for (const deepLink of [
      "https://northwind.example/sale",
      "https://shop.northwind.example/boots?size=42",
      "https://a.b.northwind.example/",
      "https://SHOP.Northwind.Example/x",
    ]) {
      const answer = await app.click(clickPath(w, `?url=${encodeURIComponent(deepLink)}`));
      expect(answer.status, deepLink).toBe(302);
      const location = new URL(answer.location!);
      const wanted = new URL(deepLink);
      expect(location.origin, deepLink).toBe(wanted.origin);
      expect(location.pathname, deepLink).toBe(wanted.pathname);
      for (const [name, value] of wanted.searchParams) expect(location.searchParams.get(name)).toBe(value);
      expect(verifyClickId(testClickKeys(), location.searchParams.get("click_id")!)?.linkId).toBe(w.link.id);
    }
  });

  it("ignores a deep link off the allowlist: the landing URL is used, the request's URL never", async () => {
    const hostile = [
      "https://evil.example/",
      "javascript:alert(document.domain)",
      "JaVaScRiPt:alert(1)//northwind.example",
      "data:text/html,<script>alert(1)</script>",
      "http://northwind.example/sale",
      "https://northwind.example.evil.example/",
      "https://evilnorthwind.example/",
      "https://northwind-example.com/",
      "https://northwіnd.example/",
      "https://northwind.example@evil.example/",
      "https://user:pass@northwind.example/",
      "https://evil.example\\@northwind.example/",
      "https:\\\\evil.example\\northwind.example",
      "https://evil.example\\.northwind.example",
      "https://evil.example#.northwind.example",
      "https://evil.example/?northwind.example",
      "https://northwind.example:8443/",
      "https://northwind.example%2eevil.example/",
      "//evil.example/northwind.example",
      "/\\evil.example",
      "https://evil.example%00.northwind.example/",
      "https://127.0.0.1/",
      "ftp://northwind.example/",
      " https://evil.example/",
      `https://northwind.example/${"a".repeat(3000)}`,
    ];
    for (const deepLink of hostile) {
      const answer = await app.click(clickPath(w, `?url=${encodeURIComponent(deepLink)}`));
      expect(answer.status, deepLink).toBe(302);
      expect(answer.location!.startsWith(`${LANDING}?click_id=`), `${deepLink} → ${answer.location}`).toBe(true);
      expect(new URL(answer.location!).hostname).toBe("northwind.example");
    }
  });

  it("answers a code it does not know with a small HTML 404, not a redirect", async () => {
    for (const path of [
      "/c/doesnotexist0000",
      "/c/",
      `/c/${w.link.code}x`,
      `/c/${"a".repeat(5000)}`,
      "/c/%2e%2e%2fhealthz",
      `/c/${w.link.code}/more`,
    ]) {
      const answer = await app.click(path);
      expect(answer.status, path).toBe(404);
      expect(answer.location, path).toBeNull();
      expect(answer.headers["content-type"]).toMatch(/^text\/html/);
      expect(answer.body).toContain("Link not found");
    }
  });

  it("answers 410 for a paused partnership, a paused offer and an ended partnership", async () => {
    const w2 = await world();
    const tenant = w2.merchant.tenant;
    const partnershipIs = (status: string) => () => tracking.cache.linkByCode(w2.link.code)?.partnershipStatus === status;
    const offerIs = (status: string) => () => tracking.cache.offer(w2.offer.id)?.status === status;
    const expectGone = async (why: string) => {
      const answer = await app.click(clickPath(w2, `?url=${encodeURIComponent("https://northwind.example/x")}`));
      expect(answer.status, why).toBe(410);
      expect(answer.location, why).toBeNull();
      expect(answer.headers["content-type"]).toMatch(/^text\/html/);
    };

    await changePartnershipStatus(handle.db, tenant, { partnershipId: w2.partnership.id, action: "pause" }, links);
    await untilCached(tracking, partnershipIs("paused"));
    await expectGone("paused partnership");

    await changePartnershipStatus(handle.db, tenant, { partnershipId: w2.partnership.id, action: "resume" }, links);
    await untilCached(tracking, partnershipIs("active"));
    expect((await app.click(clickPath(w2))).status).toBe(302);

    await changeOfferStatus(handle.db, tenant, w2.offer.id, "pause");
    await untilCached(tracking, offerIs("paused"));
    await expectGone("paused offer");

    await changeOfferStatus(handle.db, tenant, w2.offer.id, "resume");
    await untilCached(tracking, offerIs("active"));
    expect((await app.click(clickPath(w2))).status).toBe(302);

    await changePartnershipStatus(handle.db, tenant, { partnershipId: w2.partnership.id, action: "end" }, links);
    await untilCached(tracking, partnershipIs("ended"));
    await expectGone("ended partnership");
  });
});

describe("the click rows", () => {
  it("records what the click carried, with an HMAC of the address and never the address", async () => {
    const w = await world();
    const answer = await app.click(clickPath(w, "?sub1=spring&sub3=newsletter"), { ip: US_IP, referrer: "https://blog.example/post" });
    const [row] = await clickRows(w);
    expect(row).toMatchObject({
      clickId: clickIdIn(answer.location!),
      linkId: w.link.id,
      partnershipId: w.partnership.id,
      offerId: w.offer.id,
      publisherId: w.publisher.organization.id,
      merchantId: w.merchant.organization.id,
      sub1: "spring",
      sub2: null,
      sub3: "newsletter",
      referrer: "https://blog.example/post",
      country: "US",
      isBot: false,
      isUnique: true,
    });
    const key = Buffer.from(TEST_IP_HMAC_KEY, "base64");
    expect(row!.ipHmac).toBe(createHmac("sha256", key).update(US_IP).digest("base64url"));
    const [whole] = await selectRows<{ row: string }>(
      handle.db,
      sql`select row_to_json(c)::text as row from clicks c where link_id = ${w.link.id}`,
    );
    expect(whole!.row).not.toContain(US_IP);
  });

  it("marks a crawler's click and a click without a user agent as bots, neither unique", async () => {
    const w = await world();
    await app.click(clickPath(w), { ip: "8.8.4.4", userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" });
    await app.click(clickPath(w), { ip: "8.8.4.4", userAgent: null });
    await app.click(clickPath(w), { ip: "8.8.4.4", userAgent: "" });
    const rows = await clickRows(w);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ isBot: true, isUnique: false });
  });

  it("records no click for HEAD", async () => {
    const w = await world();
    const answer = await app.click(clickPath(w), { method: "HEAD" });
    expect(answer.status).toBe(302);
    expect(await clickRows(w)).toHaveLength(0);
  });

  it("counts the first click from an address on a link in 24 hours as unique, and no later one", async () => {
    const w = await world();
    const click = (ip: string, label: string) => app.click(clickPath(w, `?sub1=${label}`), { ip });
    await click("192.0.2.1", "a1");
    await tracking.recorder.flush();
    await click("192.0.2.1", "a2");
    await click("192.0.2.2", "b1");
    await click("192.0.2.2", "b2");
    const unique = async () => new Map((await clickRows(w)).map((r) => [r.sub1, r.isUnique]));
    expect(Object.fromEntries(await unique())).toEqual({ a1: true, a2: false, b1: true, b2: false });

    // A day later the address counts again.
    await handle.db.execute(sql`update click_uniques set unique_at = unique_at - interval '25 hours' where link_id = ${w.link.id}`);
    await click("192.0.2.1", "a3");
    await click("192.0.2.1", "a4");
    const later = await unique();
    expect([later.get("a3"), later.get("a4")]).toEqual([true, false]);
  });
});

describe("two app instances on one database", () => {
  let secondServed: StartedTrackingServer;
  let second: StartedTrackingEngine;
  let secondApp: TrackingServer;
  beforeAll(async () => {
    secondServed = await startTrackingServer(handle);
    ({ tracking: second, app: secondApp } = secondServed);
  });
  afterAll(() => secondServed?.close());

  it("agree on exactly one unique click per address when both record it at once", async () => {
    const w = await world();
    await worldCached(second, w);
    const ips = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"];
    for (let round = 0; round < 3; round++) {
      await Promise.all(ips.flatMap((ip) => [app.click(clickPath(w), { ip }), secondApp.click(clickPath(w), { ip })]));
      await Promise.all([tracking.recorder.flush(), second.recorder.flush()]);
    }
    const rows = await handle.db.select().from(clicks).where(eq(clicks.linkId, w.link.id));
    expect(rows).toHaveLength(ips.length * 2 * 3);
    const uniquePerAddress = new Map<string, number>();
    for (const row of rows) uniquePerAddress.set(row.ipHmac, (uniquePerAddress.get(row.ipHmac) ?? 0) + (row.isUnique ? 1 : 0));
    expect([...uniquePerAddress.values()]).toEqual(ips.map(() => 1));
  });

  it("agree when their batches reach the database in the same instant", async () => {
    const w = await world();
    await worldCached(second, w);
    for (let i = 0; i < 20; i++) {
      const ip = `198.18.0.${i + 1}`;
      await Promise.all([app.click(clickPath(w), { ip }), secondApp.click(clickPath(w), { ip })]);
    }
    await Promise.all([tracking.recorder.flush(), second.recorder.flush()]);
    const [counts] = await selectRows<{ rows: number; unique: number; addresses: number }>(
      handle.db,
      sql`select count(*)::int as rows, count(*) filter (where is_unique)::int as unique, count(distinct ip_hmac)::int as addresses
        from clicks where link_id = ${w.link.id}`,
    );
    expect(counts).toEqual({ rows: 40, unique: 20, addresses: 20 });
  });

  it("sees a paused partnership within 5 seconds, without being told", async () => {
    const w = await world();
    await worldCached(second, w);
    expect((await secondApp.click(clickPath(w))).status).toBe(302);
    const start = Date.now();
    await changePartnershipStatus(handle.db, w.merchant.tenant, { partnershipId: w.partnership.id, action: "pause" }, links);
    await expectGoneWithin5s(secondApp, clickPath(w), start);
  });

  it("sees a suspended merchant within 5 seconds, without being told", async () => {
    const w = await world();
    await worldCached(second, w);
    expect((await secondApp.click(clickPath(w))).status).toBe(302);
    const staff = await createStaffUser(handle.db, {
      email: `staff-${Date.now()}@network.example`,
      password: "staff passphrase 1",
      name: "Staff",
    });
    const start = Date.now();
    await reviewOrganization(
      handle.db,
      staff,
      { organizationId: w.merchant.organization.id, decision: "suspend", reason: "Unpaid invoices" },
      links,
    );
    await expectGoneWithin5s(secondApp, clickPath(w), start);
  });
});

async function expectGoneWithin5s(server: TrackingServer, path: string, start: number) {
  let status = 0;
  while (Date.now() - start < 5000) {
    status = (await server.click(path)).status;
    if (status === 410) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(status).toBe(410);
  expect(Date.now() - start).toBeLessThan(5000);
}

describe("the daily counts", () => {
  it("equal the click rows, per partnership and day", async () => {
    await tracking.recorder.flush();
    const mismatches = await selectRows<Record<string, unknown>>(
      handle.db,
      sql`
      with raw as (
        select partnership_id, (clicked_at at time zone 'UTC')::date as day, count(*)::int as clicks,
          count(*) filter (where is_unique)::int as unique_clicks, count(*) filter (where is_bot)::int as bot_clicks
        from clicks group by 1, 2
      )
      select coalesce(r.partnership_id, d.partnership_id) as partnership_id, r.clicks, d.clicks as daily_clicks,
        r.unique_clicks, d.unique_clicks as daily_unique, r.bot_clicks, d.bot_clicks as daily_bots
      from raw r full join click_daily d on d.partnership_id = r.partnership_id and d.day = r.day
      where r.clicks is distinct from d.clicks or r.unique_clicks is distinct from d.unique_clicks
        or r.bot_clicks is distinct from d.bot_clicks`,
    );
    expect(mismatches).toEqual([]);
    const [total] = await selectRows<{ n: number }>(handle.db, sql`select count(*)::int as n from clicks`);
    expect(total!.n).toBeGreaterThan(30);
  });
});

describe("a hostile sub id", () => {
  // Its own engine: a batch that cannot be written must not be able to stall the others' clicks.
  let ownServed: StartedTrackingServer;
  let own: StartedTrackingEngine;
  let ownApp: TrackingServer;
  beforeAll(async () => {
    ownServed = await startTrackingServer(handle);
    ({ tracking: own, app: ownApp } = ownServed);
  });
  afterAll(() => ownServed?.close());

  it("does not stop the recorder: a NUL character in a sub id, then a plain click", async () => {
    const w = await ownServed.world();
    const poisoned = await ownApp.click(clickPath(w, "?sub1=a%00b&sub2=%00"), { ip: "192.0.2.50" });
    expect(poisoned.status).toBe(302);
    await own.recorder.flush();
    await ownApp.click(clickPath(w, "?sub1=after"), { ip: "192.0.2.51" });
    await own.recorder.flush();
    const rows = await handle.db.select().from(clicks).where(eq(clicks.linkId, w.link.id));
    expect(rows.map((r) => r.sub1)).toContain("after");
    expect(rows).toHaveLength(2);
    expect(own.recorder.buffered).toBe(0);
  });
});
