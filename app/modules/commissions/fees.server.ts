import { desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "#db/client";
import { feePolicies, organizations } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";

type FeeInput = { bps: number; minimums: Record<string, number> };

export async function getFeeSettings(db: Database, _staff: StaffActor) {
  const [networkDefault] = await db.select().from(feePolicies).where(isNull(feePolicies.merchantId));
  const overrides = await db
    .select({ policy: feePolicies, merchantName: organizations.name })
    .from(feePolicies)
    .innerJoin(organizations, eq(organizations.id, feePolicies.merchantId))
    .where(isNotNull(feePolicies.merchantId))
    .orderBy(desc(feePolicies.updatedAt));
  return { networkDefault: networkDefault!, overrides };
}

/** The fee that applies to a merchant: its override, else the network default. */
export async function feeForMerchant(db: Database, merchantId: string) {
  const [override] = await db.select().from(feePolicies).where(eq(feePolicies.merchantId, merchantId));
  if (override) return override;
  const [networkDefault] = await db.select().from(feePolicies).where(isNull(feePolicies.merchantId));
  return networkDefault!;
}

export async function setDefaultFee(db: Database, staff: StaffActor, input: FeeInput) {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(feePolicies).where(isNull(feePolicies.merchantId)).for("update");
    await tx
      .update(feePolicies)
      .set({ ...input, updatedAt: new Date() })
      .where(isNull(feePolicies.merchantId));
    await writeAudit(tx, staff, {
      action: "fee.default_set",
      targetType: "fee_policy",
      targetId: "default",
      before: { bps: before!.bps, minimums: before!.minimums },
      after: input,
    });
  });
}

export async function setMerchantFee(db: Database, staff: StaffActor, merchantSlug: string, input: FeeInput) {
  await db.transaction(async (tx) => {
    const [merchant] = await tx.select().from(organizations).where(eq(organizations.slug, merchantSlug));
    if (!merchant || merchant.kind !== "merchant") throw new DomainError("unknown_merchant", "No merchant has this handle.", "merchant");
    const [before] = await tx.select().from(feePolicies).where(eq(feePolicies.merchantId, merchant.id)).for("update");
    await tx
      .insert(feePolicies)
      .values({ merchantId: merchant.id, ...input })
      .onConflictDoUpdate({ target: feePolicies.merchantId, set: { ...input, updatedAt: new Date() } });
    await writeAudit(tx, staff, {
      action: "fee.merchant_set",
      targetType: "fee_policy",
      targetId: merchant.id,
      organizationId: merchant.id,
      before: before ? { bps: before.bps, minimums: before.minimums } : null,
      after: input,
    });
  });
}

export async function removeMerchantFee(db: Database, staff: StaffActor, merchantId: string) {
  await db.transaction(async (tx) => {
    const [removed] = await tx.delete(feePolicies).where(eq(feePolicies.merchantId, merchantId)).returning();
    if (!removed) throw notFound("No override for this merchant");
    await writeAudit(tx, staff, {
      action: "fee.merchant_removed",
      targetType: "fee_policy",
      targetId: merchantId,
      organizationId: merchantId,
      before: { bps: removed.bps, minimums: removed.minimums },
    });
  });
}
