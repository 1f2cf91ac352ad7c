import type { Database } from "#db/client";
import { DAY_MS } from "~/lib/time";
import type { Tenant } from "../orgs/tenant.server";
import { clickCountsFor } from "./click-daily-data.server";
import { conversionsFor } from "./conversion-data.server";
import { conversionListView } from "./conversions.server";

const ACTIVITY_DAYS = 30;

/** The last 30 UTC days, today included: the first day as click_daily names it, and its start. */
function activityWindow(now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = new Date(today - (ACTIVITY_DAYS - 1) * DAY_MS);
  return { day: start.toISOString().slice(0, 10), since: start };
}

type Totals = Awaited<ReturnType<ReturnType<typeof conversionsFor>["totals"]>>;

/**
 * Pending and approved money per currency (never added across currencies): what the publisher
 * earns (commission) or what the merchant pays (merchant cost).
 */
function moneyByCurrency(totals: Totals, side: "merchant" | "publisher") {
  const currencies = [...new Set(totals.map((t) => t.currency))].sort();
  const field = side === "merchant" ? "merchantCostMinor" : "commissionMinor";
  // Totals hold at most one row per currency and status.
  const of = (currency: string, status: string) => totals.find((t) => t.currency === currency && t.status === status)?.[field] ?? 0;
  return currencies.map((currency) => ({ currency, pendingMinor: of(currency, "pending"), approvedMinor: of(currency, "approved") }));
}

/**
 * The last 30 days' clicks, conversions (per status and currency, and in all) and money, and the
 * latest conversions: the tenant's, or those of one of its partnerships.
 */
export async function getTrackingActivity(db: Database, tenant: Tenant, filter: { partnershipId?: string } = {}) {
  const kind = tenant.organization.kind;
  const { partnershipId } = filter;
  const window = activityWindow();
  const own = conversionsFor(db, tenant);
  const [clicks, totals, latest] = await Promise.all([
    clickCountsFor(db, tenant).totals({ since: window.day, partnershipId }),
    own.totals({ since: window.since, partnershipId }),
    own.list({ partnershipId }, null, 10),
  ]);
  return {
    days: ACTIVITY_DAYS,
    clicks,
    totals,
    conversions: totals.reduce((n, t) => n + t.count, 0),
    money: moneyByCurrency(totals, kind),
    latest: latest.rows.map((row) => conversionListView(row, kind)),
  };
}
