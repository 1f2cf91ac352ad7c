import { createHmac, randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import {
  clickDaily,
  clicks,
  conversionCounters,
  conversions,
  feePolicies,
  offers,
  organizations,
  partnerships,
  postbackCredentials,
  trackingLinks,
} from "#db/schema";
import type { Config } from "~/config.server";
import { priceConversion } from "~/modules/commissions/pricing";
import { signClickId } from "~/modules/tracking/click-id";
import { hashToken } from "~/modules/auth/tokens.server";
import { loadTrackingKeys } from "~/modules/tracking/tracking-keys.server";

const DAY_SECONDS = 24 * 60 * 60;
const HISTORY_DAYS = 60;
const CLICKS = 4000;
const COUNTRIES = ["US", "US", "US", "GB", "CA", "DE", "AU", "FR", null];
const AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
];
const BOT_AGENT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const SUBS = ["tent-guide", "newsletter", "homepage", "review-2026", null];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Demo partnerships: each active publisher on the network's live public and approval offers. */
async function ensureDemoPartnerships(db: Database) {
  const publishers = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.kind, "publisher"), eq(organizations.status, "active")));
  const live = await db
    .select({ id: offers.id })
    .from(offers)
    .where(and(eq(offers.status, "active"), inArray(offers.visibility, ["public", "approval"])));
  const pairs = publishers.flatMap((p) => live.map((o) => ({ offerId: o.id, publisherId: p.id, status: "active" as const })));
  if (pairs.length) await db.insert(partnerships).values(pairs).onConflictDoNothing();
}

/**
 * Tracking history for the demo: a few thousand clicks and a few hundred conversions over the last
 * 60 days across the demo partnerships, priced by the engine's own pricing. Skipped when the network
 * already has conversions. Returns a demo link and a postback command that works against the app.
 */
export async function seedTracking(db: Database, config: Config) {
  await ensureDemoPartnerships(db);
  const links = await db
    .select({ link: trackingLinks, partnership: partnerships, offer: offers })
    .from(trackingLinks)
    .innerJoin(partnerships, eq(partnerships.id, trackingLinks.partnershipId))
    .innerJoin(offers, eq(offers.id, partnerships.offerId))
    .where(and(eq(partnerships.status, "active"), eq(offers.status, "active")));
  if (!links.length) return null;
  const keys = loadTrackingKeys({
    CLICK_SIGNING_KEYS: config.CLICK_SIGNING_KEYS,
    IP_HMAC_KEY: config.IP_HMAC_KEY,
    DATA_DIR: config.DATA_DIR,
  });
  const demo = links[0]!;
  const token = `sbp_${randomBytes(32).toString("base64url")}`;
  await db
    .insert(postbackCredentials)
    .values({
      merchantId: demo.offer.merchantId,
      tokenHash: hashToken(token),
      tokenHint: token.slice(0, 8),
      tokenRotatedAt: new Date(),
    })
    .onConflictDoUpdate({
      target: postbackCredentials.merchantId,
      set: { tokenHash: hashToken(token), tokenHint: token.slice(0, 8), tokenRotatedAt: new Date() },
    });

  const [existing] = await db.select({ id: conversions.id }).from(conversions).limit(1);
  if (!existing) await seedHistory(db, links, keys);

  const now = Math.floor(Date.now() / 1000);
  const clickId = signClickId(keys.clickKeys, { linkId: demo.link.id, clickedAt: now, bot: false, country: null });
  const event = demo.offer.terms[0]!.event;
  const postback =
    `curl "${config.APP_URL}/postback?token=${token}&click_id=${clickId}` +
    `&order_id=demo-${randomBytes(4).toString("hex")}&amount=49.90&currency=${demo.offer.currency}&event=${event}"`;
  return { trackingUrl: `${config.APP_URL}/c/${demo.link.code}?sub1=demo`, postback };
}

type DemoLink = {
  link: typeof trackingLinks.$inferSelect;
  partnership: typeof partnerships.$inferSelect;
  offer: typeof offers.$inferSelect;
};

async function seedHistory(db: Database, links: DemoLink[], keys: ReturnType<typeof loadTrackingKeys>) {
  const now = Math.floor(Date.now() / 1000);
  const [networkFee] = await db
    .select()
    .from(feePolicies)
    .where(sql`${feePolicies.merchantId} is null`);
  const clickRows: (typeof clicks.$inferInsert)[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const { link, partnership, offer } = pick(links);
    const clickedAt = now - Math.floor(Math.random() * HISTORY_DAYS * DAY_SECONDS);
    const isBot = Math.random() < 0.04;
    const country = pick(COUNTRIES);
    const ip = `203.0.${Math.floor(Math.random() * 60)}.${Math.floor(Math.random() * 250)}`;
    clickRows.push({
      clickId: signClickId(keys.clickKeys, { linkId: link.id, clickedAt, bot: isBot, country }),
      clickedAt: new Date(clickedAt * 1000),
      linkId: link.id,
      partnershipId: partnership.id,
      offerId: offer.id,
      publisherId: partnership.publisherId,
      merchantId: offer.merchantId,
      sub1: pick(SUBS),
      ipHmac: createHmac("sha256", keys.ipKey).update(ip).digest("base64url"),
      userAgent: isBot ? BOT_AGENT : pick(AGENTS),
      referrer: Math.random() < 0.5 ? "https://www.google.com/" : null,
      country,
      isBot,
      isUnique: !isBot && Math.random() < 0.8,
    });
  }
  clickRows.sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime());
  const byLink = new Map(links.map((l) => [l.link.id, l]));
  const monthCounts = new Map<string, number>();
  const conversionRows: (typeof conversions.$inferInsert)[] = [];
  for (const [i, click] of clickRows.entries()) {
    if (click.isBot || Math.random() > 0.08) continue;
    const { partnership, offer } = byLink.get(click.linkId)!;
    const createdAt = new Date(Math.min(now * 1000, click.clickedAt.getTime() + Math.floor(Math.random() * 2 * DAY_SECONDS * 1000)));
    const term = offer.terms[0]!;
    const saleAmountMinor = 2000 + Math.floor(Math.random() * 28000);
    const monthKey = `${partnership.id}:m${createdAt.toISOString().slice(0, 7)}`;
    const before = monthCounts.get(monthKey) ?? 0;
    const priced = priceConversion({
      event: term.event,
      saleAmountMinor,
      offerTerms: offer.terms,
      customTerms: partnership.customTerms,
      monthConversionsBefore: before,
      fee: { source: "network", bps: networkFee?.bps ?? 0, minimumMinor: networkFee?.minimums[offer.currency] ?? 0 },
    })!;
    const rejected = Math.random() < 0.06;
    if (!rejected) monthCounts.set(monthKey, before + 1);
    conversionRows.push({
      merchantId: offer.merchantId,
      offerId: offer.id,
      partnershipId: partnership.id,
      publisherId: partnership.publisherId,
      attributedBy: "click",
      linkId: click.linkId,
      clickId: click.clickId,
      clickedAt: click.clickedAt,
      orderId: `NW-${100000 + i}`,
      event: term.event,
      status: rejected ? "rejected" : "pending",
      reason: rejected ? "country_excluded" : null,
      saleAmountMinor,
      commissionMinor: priced.commissionMinor,
      feeMinor: priced.feeMinor,
      merchantCostMinor: priced.merchantCostMinor,
      currency: offer.currency,
      termsSnapshot: priced.termsSnapshot,
      feeSnapshot: priced.feeSnapshot,
      sub1: click.sub1,
      clickCountry: click.country,
      clickIpHmac: click.ipHmac,
      clickUserAgent: click.userAgent,
      clickFound: true,
      requestFingerprint: randomBytes(16).toString("base64url"),
      validationEndsAt: new Date(createdAt.getTime() + offer.validationDays * DAY_SECONDS * 1000),
      createdAt,
      statusChangedAt: createdAt,
    });
  }

  await db.transaction(async (tx) => {
    for (let day = HISTORY_DAYS + 1; day >= 0; day--) {
      const date = new Date((now - day * DAY_SECONDS) * 1000).toISOString().slice(0, 10);
      await tx.execute(sql`select create_click_partition(${date}::date)`);
    }
    for (let i = 0; i < clickRows.length; i += 500) await tx.insert(clicks).values(clickRows.slice(i, i + 500));
    await tx.execute(sql`
      insert into ${clickDaily} (day, partnership_id, link_id, offer_id, publisher_id, merchant_id, clicks, unique_clicks, bot_clicks)
      select (clicked_at at time zone 'UTC')::date, partnership_id, link_id, offer_id, publisher_id, merchant_id,
        count(*), count(*) filter (where is_unique), count(*) filter (where is_bot)
      from ${clicks} group by 1, 2, 3, 4, 5, 6
      on conflict (partnership_id, day) do update set clicks = excluded.clicks, unique_clicks = excluded.unique_clicks,
        bot_clicks = excluded.bot_clicks`);
    for (let i = 0; i < conversionRows.length; i += 200) await tx.insert(conversions).values(conversionRows.slice(i, i + 200));
    const counters = [...monthCounts].map(([key, count]) => {
      const [scopeId, period] = key.split(":");
      return { scopeId: scopeId!, period: period!, count };
    });
    if (counters.length) await tx.insert(conversionCounters).values(counters).onConflictDoNothing();
  });
  console.log(`Tracking history: ${clickRows.length} clicks and ${conversionRows.length} conversions over ${HISTORY_DAYS} days.`);
}
