import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { payoutSettings } from "#db/schema";
import { formatMoney, parseAmount } from "~/lib/money";
import { writeAudit } from "../audit/audit.server";
import { DomainError } from "../errors.server";
import { currentBillingSettings, payoutMinimum } from "../invoices/billing-settings.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { maskedDetails, type PayoutDetails } from "./details";
import type { PayoutSettingsInput } from "./schemas";

const MANAGE = { kind: "publisher" as const, role: "admin" as const, forbidden: "Only owners and admins can change payout settings." };

/** The currencies a publisher's thresholds are asked for: those it earns in, those the network sets minimums for, those it set. */
async function thresholdCurrencies(db: Database, publisherId: string, minimums: Record<string, number>, own: Record<string, number>) {
  const earned = await selectRows<{ currency: string }>(
    db,
    sql`select distinct f.currency from partnerships p join offers f on f.id = p.offer_id where p.publisher_id = ${publisherId}`,
  );
  const all = new Set([...earned.map((e) => e.currency.trim()), ...Object.keys(minimums), ...Object.keys(own)]);
  if (all.size === 0) all.add("USD");
  return [...all].sort();
}

/**
 * What the settings page shows: the method and its details masked (the stored details never go back
 * to the browser), and per currency the threshold set and the network minimum under it.
 */
export async function getPayoutSettings(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  const publisherId = tenant.organization.id;
  const [row] = await db.select().from(payoutSettings).where(eq(payoutSettings.publisherId, publisherId));
  const settings = await currentBillingSettings(db);
  const own = row?.thresholds ?? {};
  const currencies = await thresholdCurrencies(db, publisherId, settings.payoutMinimums, own);
  return {
    saved: row ? { method: row.method, maskedDetails: maskedDetails(row.method, row.details), updatedAt: row.updatedAt } : null,
    thresholds: currencies.map((currency) => ({
      currency,
      minimumMinor: payoutMinimum(settings, currency),
      ownMinor: own[currency] ?? null,
    })),
    canManage: tenant.role !== "member",
  };
}

function detailsOf(input: PayoutSettingsInput): PayoutDetails {
  switch (input.method) {
    case "bank_transfer": {
      const { method: _m, thresholds: _t, ...details } = input;
      return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
    }
    case "paypal":
      return { paypalEmail: input.paypalEmail };
    case "other":
      return { instructions: input.instructions };
  }
}

/**
 * Saves the method, its details and the thresholds: each threshold is read as money of its currency
 * and must be at least the network minimum (blank: the minimum applies). Audited with the details
 * masked: the log is read by more people than the payouts.
 */
export async function savePayoutSettings(db: Database, tenant: Tenant, input: PayoutSettingsInput) {
  assertTenant(tenant, MANAGE);
  const settings = await currentBillingSettings(db);
  const thresholds: Record<string, number> = {};
  for (const [currency, typed] of Object.entries(input.thresholds)) {
    if (!typed?.trim()) continue;
    const field = `thresholds.${currency}`;
    const parsed = parseAmount(typed, currency);
    if (parsed.error !== null) throw new DomainError("invalid_threshold", parsed.error, field);
    const minimum = payoutMinimum(settings, currency);
    if (parsed.value < minimum) {
      throw new DomainError(
        "threshold_below_minimum",
        `The network pays out at least ${formatMoney(minimum, currency)} in ${currency}`,
        field,
      );
    }
    thresholds[currency] = parsed.value;
  }
  const details = detailsOf(input);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(payoutSettings).where(eq(payoutSettings.publisherId, tenant.organization.id)).for("update");
    const values = { method: input.method, details, thresholds, updatedAt: new Date(), updatedByUserId: tenant.user.id };
    await tx
      .insert(payoutSettings)
      .values({ publisherId: tenant.organization.id, ...values })
      .onConflictDoUpdate({ target: payoutSettings.publisherId, set: values });
    await writeAudit(tx, tenant.user, {
      action: "payouts.settings_saved",
      targetType: "organization",
      targetId: tenant.organization.id,
      organizationId: tenant.organization.id,
      before: before
        ? { method: before.method, details: maskedDetails(before.method, before.details), thresholds: before.thresholds }
        : null,
      after: { method: input.method, details: maskedDetails(input.method, details), thresholds },
    });
    return { method: input.method, maskedDetails: maskedDetails(input.method, details) };
  });
}
