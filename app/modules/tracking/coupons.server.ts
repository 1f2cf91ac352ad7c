import type { Database } from "#db/client";
import { writeAudit } from "../audit/audit.server";
import { partnershipsFor } from "../applications/partnership-data.server";
import { DomainError } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { couponsFor } from "./coupon-data.server";

function assertMerchantAdmin(tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can manage coupon codes." });
}

/** The merchant's coupon codes by partnership, for its partners page. */
export async function listMerchantCoupons(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  const byPartnership: Record<string, { id: string; code: string }[]> = {};
  for (const c of await couponsFor(db, tenant).list()) (byPartnership[c.partnershipId] ??= []).push({ id: c.id, code: c.code });
  return byPartnership;
}

/**
 * Gives a partnership a coupon code: a postback with `coupon=<code>` then attributes to it. Codes
 * are unique per merchant whatever their case, so a taken code (even one taken a moment ago by a
 * concurrent request) is an error next to the field.
 */
export async function assignCoupon(db: Database, tenant: Tenant, input: { partnershipId: string; code: string }) {
  assertMerchantAdmin(tenant);
  return db.transaction(async (tx) => {
    const { partnership } = await partnershipsFor(tx, tenant).get(input.partnershipId);
    if (partnership.status === "ended") {
      throw new DomainError("partnership_ended", "This partnership has ended: it cannot get new coupon codes.", "code", 409);
    }
    const coupon = await couponsFor(tx, tenant).insert({ partnershipId: partnership.id, code: input.code });
    if (!coupon) throw new DomainError("coupon_taken", `You already gave out the code ${input.code} (codes ignore case).`, "code", 409);
    await writeAudit(tx, tenant.user, {
      action: "coupon.assigned",
      targetType: "coupon",
      targetId: coupon.id,
      organizationId: tenant.organization.id,
      after: { code: coupon.code, partnershipId: partnership.id },
    });
    return coupon;
  });
}

export async function removeCoupon(db: Database, tenant: Tenant, input: { couponId: string }) {
  assertMerchantAdmin(tenant);
  await db.transaction(async (tx) => {
    const coupon = await couponsFor(tx, tenant).remove(input.couponId);
    await writeAudit(tx, tenant.user, {
      action: "coupon.removed",
      targetType: "coupon",
      targetId: coupon.id,
      organizationId: tenant.organization.id,
      before: { code: coupon.code, partnershipId: coupon.partnershipId },
    });
  });
}
