import type { Database } from "#db/client";
import { billingSettings } from "#db/schema";
import { currencyDigits } from "~/lib/money";
import type { StaffActor } from "../auth/staff.server";
import { writeAudit } from "../audit/audit.server";

/** A payout threshold's floor in major units of any currency while staff have not set one for it. */
export const DEFAULT_PAYOUT_MINIMUM_MAJOR = 50;

/** The network's billing settings while staff have not set them. */
export const BILLING_SETTINGS_DEFAULTS = {
  invoiceDueDays: 30,
  payoutMinimums: {} as Record<string, number>,
  payoutsRequirePaidInvoice: true,
};
export type BillingSettings = typeof BILLING_SETTINGS_DEFAULTS;

/** The settings in force: the staff's row, else the defaults. */
export async function currentBillingSettings(db: Database): Promise<BillingSettings> {
  const [row] = await db.select().from(billingSettings);
  if (!row) return BILLING_SETTINGS_DEFAULTS;
  return {
    invoiceDueDays: row.invoiceDueDays,
    payoutMinimums: row.payoutMinimums,
    payoutsRequirePaidInvoice: row.payoutsRequirePaidInvoice,
  };
}

/** The smallest payout threshold allowed in a currency, in its minor units. */
export function payoutMinimum(settings: BillingSettings, currency: string): number {
  return settings.payoutMinimums[currency] ?? DEFAULT_PAYOUT_MINIMUM_MAJOR * 10 ** currencyDigits(currency);
}

/** Staff change the billing settings; audited in the same transaction. */
export async function saveBillingSettings(db: Database, staff: StaffActor, settings: BillingSettings) {
  await db.transaction(async (tx) => {
    const before = await currentBillingSettings(tx);
    await tx
      .insert(billingSettings)
      .values({ id: true, ...settings })
      .onConflictDoUpdate({ target: billingSettings.id, set: { ...settings, updatedAt: new Date() } });
    await writeAudit(tx, staff, {
      action: "billing.settings",
      targetType: "billing_settings",
      targetId: "network",
      before,
      after: settings,
    });
  });
}
