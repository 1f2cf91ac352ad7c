import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import {
  applications,
  conversionCounters,
  conversions,
  feePolicies,
  memberships,
  offers,
  organizations,
  partnerships,
  trackingLinks,
  users,
} from "#db/schema";
import type { Config } from "~/config.server";
import { priceConversion } from "~/modules/commissions/pricing";
import { resolveTenant } from "~/modules/orgs/tenant.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { signClickId } from "~/modules/tracking/click-id";
import { approveConversions, rejectConversions } from "~/modules/tracking/conversion-review.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { writeClicks, type ClickRecord } from "~/modules/tracking/click-recorder.server";
import { rebuildRollups } from "~/modules/reports/rollups.server";
import { rotatePostbackToken } from "~/modules/tracking/integration.server";
import { loadTrackingKeys } from "~/modules/tracking/tracking-keys.server";
import type { RejectionReason } from "~/lib/labels";
import { SCREENING_ACTOR } from "~/modules/tracking/fraud-screening.server";
import { REFUND_ACTOR } from "~/modules/tracking/postbacks.server";
import { DAY_SECONDS } from "~/lib/time";

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

/**
 * Demo partnerships: each active publisher on the network's live public and approval offers, with the
 * approved application a partnership comes from; a pair with an application of its own is left as it is.
 */
async function ensureDemoPartnerships(db: Database) {
  const publishers = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.kind, "publisher"), eq(organizations.status, "active")));
  const live = await db
    .select({ id: offers.id })
    .from(offers)
    .where(and(eq(offers.status, "active"), inArray(offers.visibility, ["public", "approval"])));
  const applied = new Set(
    (await db.select({ offerId: applications.offerId, publisherId: applications.publisherId }).from(applications)).map(
      (a) => `${a.offerId}:${a.publisherId}`,
    ),
  );
  const pairs = publishers
    .flatMap((p) => live.map((o) => ({ offerId: o.id, publisherId: p.id })))
    .filter((pair) => !applied.has(`${pair.offerId}:${pair.publisherId}`));
  if (!pairs.length) return;
  const decidedAt = new Date();
  await db.transaction(async (tx) => {
    await tx
      .insert(applications)
      .values(pairs.map((pair) => ({ ...pair, status: "approved" as const, termsAcceptedAt: decidedAt, decidedAt })));
    await tx
      .insert(partnerships)
      .values(pairs.map((pair) => ({ ...pair, status: "active" as const })))
      .onConflictDoNothing();
  });
}

/** The demo merchant's owner, as the tenant the integration page acts for. */
async function ownerTenant(db: Database, merchantId: string) {
  const [owner] = await db
    .select({ user: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, merchantId), eq(memberships.role, "owner")));
  return (await resolveTenant(db, owner!.user, merchantId))!;
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
  const { token } = await rotatePostbackToken(db, await ownerTenant(db, demo.offer.merchantId));

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
  const clickRows: ClickRecord[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const { link, partnership, offer } = pick(links);
    const clickedAt = now - Math.floor(Math.random() * HISTORY_DAYS * DAY_SECONDS);
    const isBot = Math.random() < 0.04;
    const country = pick(COUNTRIES);
    clickRows.push({
      clickId: signClickId(keys.clickKeys, { linkId: link.id, clickedAt, bot: isBot, country }),
      clickedAt,
      linkId: link.id,
      partnershipId: partnership.id,
      offerId: offer.id,
      publisherId: partnership.publisherId,
      merchantId: offer.merchantId,
      sub1: pick(SUBS),
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      ip: `203.0.${Math.floor(Math.random() * 60)}.${Math.floor(Math.random() * 250)}`,
      userAgent: isBot ? BOT_AGENT : pick(AGENTS),
      referrer: Math.random() < 0.5 ? "https://www.google.com/" : null,
      country,
      isBot,
    });
  }
  clickRows.sort((a, b) => a.clickedAt - b.clickedAt);
  const byLink = new Map(links.map((l) => [l.link.id, l]));
  const monthCounts = new Map<string, number>();
  const conversionRows: (typeof conversions.$inferInsert)[] = [];
  for (const [i, click] of clickRows.entries()) {
    if (click.isBot || Math.random() > 0.08) continue;
    const { partnership, offer } = byLink.get(click.linkId)!;
    const createdAt = new Date(Math.min(now, click.clickedAt + Math.floor(Math.random() * 2 * DAY_SECONDS)) * 1000);
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
      clickedAt: new Date(click.clickedAt * 1000),
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
      requestFingerprint: randomBytes(16).toString("base64url"),
      validationEndsAt: new Date(createdAt.getTime() + offer.validationDays * DAY_SECONDS * 1000),
      screenedAt: createdAt,
      createdAt,
      statusChangedAt: createdAt,
    });
  }

  await db.transaction(async (tx) => {
    for (let day = HISTORY_DAYS + 1; day >= 0; day--) {
      const date = new Date((now - day * DAY_SECONDS) * 1000).toISOString().slice(0, 10);
      await tx.execute(sql`select create_click_partition(${date}::date)`);
    }
    // Conversions first: writing their clicks then copies each click's details onto its conversion.
    for (let i = 0; i < conversionRows.length; i += 200) await tx.insert(conversions).values(conversionRows.slice(i, i + 200));
    for (let i = 0; i < clickRows.length; i += 500) await writeClicks(tx, clickRows.slice(i, i + 500), keys.ipKey);
    // The history's conversions are written already screened (screening never adds them): the report
    // rollups are built from the rows as the upgrade's backfill builds them; the lifecycle below keeps them.
    await rebuildRollups(tx);
    const counters = [...monthCounts].map(([key, count]) => {
      const [scopeId, period] = key.split(":");
      return { scopeId: scopeId!, period: period!, count };
    });
    if (counters.length) await tx.insert(conversionCounters).values(counters).onConflictDoNothing();
  });
  console.log(`Tracking history: ${clickRows.length} clicks and ${conversionRows.length} conversions over ${HISTORY_DAYS} days.`);
  await seedLifecycle(db);
}

const REJECTIONS: { reason: RejectionReason; note: string }[] = [
  { reason: "returned", note: "The customer sent the order back within the return window." },
  { reason: "duplicate", note: "Our checkout reported this order twice." },
  { reason: "cancelled", note: "Cancelled by the customer before it shipped." },
  { reason: "fraud", note: "Chargeback on the card that paid for it." },
];

function byMerchant<T extends { merchantId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.merchantId, [...(groups.get(row.merchantId) ?? []), row]);
  return groups;
}

/**
 * The history moved through the conversion lifecycle the way it would have happened, by the same
 * functions the app uses, so every approval and refund is booked in the ledger: screening holds a
 * couple for fraud review, merchants reject some with reasons and approve a few before their
 * validation period ends, the auto-approval job approves what is due, and a few approved orders are
 * refunded by the merchant's postback.
 */
async function seedLifecycle(db: Database) {
  const pending = await db
    .select({ id: conversions.id, merchantId: conversions.merchantId, validationEndsAt: conversions.validationEndsAt })
    .from(conversions)
    .where(eq(conversions.status, "pending"))
    .orderBy(asc(conversions.createdAt));
  const now = new Date();
  const due = pending.filter((c) => c.validationEndsAt <= now);
  const held = due.slice(-2);
  const open = pending.filter((c) => !held.includes(c));
  const rejected = open.filter(() => Math.random() < 0.08);
  const early = open.filter((c) => c.validationEndsAt > now && !rejected.includes(c) && Math.random() < 0.2);

  for (const [seconds, c] of held.map((c, i) => [2 + i, c] as const)) {
    const signals = [{ code: "fast_conversion", evidence: `Converted ${seconds} s after the click (threshold 10 s).` }];
    await db.transaction((tx) => changeConversions(tx, sql`true`, SCREENING_ACTOR, [c.id], { action: "hold", signals }));
  }
  for (const [merchantId, group] of byMerchant(rejected)) {
    const tenant = await ownerTenant(db, merchantId);
    for (const [i, { reason, note }] of REJECTIONS.entries()) {
      const ids = group.filter((_, k) => k % REJECTIONS.length === i).map((c) => c.id);
      if (ids.length) await rejectConversions(db, tenant, ids, reason, note);
    }
  }
  for (const [merchantId, group] of byMerchant(early)) {
    const ids = group.map((c) => c.id);
    await approveConversions(db, await ownerTenant(db, merchantId), ids);
  }
  const { approved } = await approveDueConversions(db, now);

  const refunded = await db
    .select({ id: conversions.id, merchantId: conversions.merchantId })
    .from(conversions)
    .where(and(eq(conversions.status, "approved"), lte(conversions.validationEndsAt, now)))
    .orderBy(sql`random()`)
    .limit(4);
  for (const c of refunded) {
    await db.transaction((tx) =>
      changeConversions(tx, sql`c.merchant_id = ${c.merchantId}`, REFUND_ACTOR, [c.id], {
        action: "refund",
        note: "Returned by the customer.",
      }),
    );
  }
  console.log(
    `Conversion lifecycle: ${approved + early.length} approved (${early.length} early by their merchants), ${rejected.length} rejected ` +
      `with reasons, ${refunded.length} of the approved refunded, ${held.length} on hold for fraud review; \`npm run ledger:check\` reconciles the ledger.`,
  );
}
