import { eq, sql } from "drizzle-orm";
import { selectRows } from "#db/jobs/executors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { offerIndexing } from "#db/jobs/queues";
import { auditLog, niches } from "#db/schema";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { feeForMerchant, getFeeSettings, removeMerchantFee, setDefaultFee, setMerchantFee } from "~/modules/commissions/fees.server";
import { feeFormSchema } from "~/modules/commissions/schemas";
import { addNiche, listNichesWithUsage, removeNiche, renameNiche } from "~/modules/moderation/niches.server";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner } from "#tests/support/factories";
import { clearQueue } from "#tests/support/jobs";
import { createActiveOffer } from "#tests/support/offers";

let handle: DatabaseHandle;
let staff: StaffActor;
beforeAll(async () => {
  handle = await createTestDatabase();
  staff = await createStaffUser(handle.db, { email: "ops@network.example", password: "ops passphrase 12", name: "Ops" });
});
afterAll(() => handle.close());

describe("niche taxonomy", () => {
  it("adds a niche once, renames it with a re-index of its offers, and removes only unused niches", async () => {
    await addNiche(handle.db, staff, { slug: "pet-supplies", name: "Pet supplies" });
    await expect(addNiche(handle.db, staff, { slug: "pet-supplies", name: "Again" })).rejects.toMatchObject({
      code: "niche_exists",
      field: "slug",
    });

    const { tenant } = await createOrgWithOwner(handle.db);
    const offer = await createActiveOffer(handle.db, tenant, { niches: ["pet-supplies"] });
    await clearQueue(handle, offerIndexing);
    await renameNiche(handle.db, staff, { slug: "pet-supplies", name: "Pets & Supplies" });
    const queued = await selectRows<{ offerId: string }>(
      handle.db,
      sql`select data->>'offerId' as "offerId" from pgboss.job where name = ${offerIndexing.name}`,
    );
    expect(queued.map((r) => r.offerId)).toEqual([offer.id]);
    expect((await listNichesWithUsage(handle.db, staff)).find((n) => n.slug === "pet-supplies")).toMatchObject({
      name: "Pets & Supplies",
      offers: 1,
    });

    await expect(removeNiche(handle.db, staff, "pet-supplies")).rejects.toMatchObject({ code: "niche_in_use" });
    await addNiche(handle.db, staff, { slug: "unused-niche", name: "Unused" });
    await removeNiche(handle.db, staff, "unused-niche");
    expect(await handle.db.select().from(niches).where(eq(niches.slug, "unused-niche"))).toHaveLength(0);
    const actions = (await handle.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetType, "niche"))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(["niche.added", "niche.renamed", "niche.added", "niche.removed"]);
  });
});

describe("network fee", () => {
  it("parses the fee form exactly and says what is wrong", () => {
    expect(feeFormSchema.parse({ intent: "default", percent: "22.5", minimums: "usd 0.50\nJPY 30" })).toMatchObject({
      bps: 2250,
      minimums: { USD: 50, JPY: 30 },
    });
    const bad = feeFormSchema.safeParse({ intent: "default", percent: "120", minimums: "dollars 1\nUSD 0.505\nEUR 0,50\nEUR 1 250" });
    expect(bad.error!.issues.map((i) => i.message)).toEqual([
      "Enter a percentage between 0 and 100",
      'Write each minimum as a currency and an amount, like USD 0.50 (not "dollars 1")',
      "USD 0.505: USD amounts have at most 2 decimals",
      "EUR 0,50: Use a dot for decimals, like 12.50; a comma may only separate thousands, as in 1,250.00",
      'Write each minimum as a currency and an amount, like USD 0.50 (not "EUR 1 250")',
    ]);
    expect(feeFormSchema.safeParse({ intent: "default", percent: "22,5" }).error!.issues.map((i) => i.message)).toEqual([
      "Use a dot for decimals, like 7.25",
    ]);
  });

  it("sets the default and per-merchant overrides, each audited with before and after", async () => {
    const { organization } = await createOrgWithOwner(handle.db);
    expect((await feeForMerchant(handle.db, organization.id)).bps).toBe(2000);
    await setDefaultFee(handle.db, staff, { bps: 2500, minimums: { USD: 25 } });
    expect(await feeForMerchant(handle.db, organization.id)).toMatchObject({ bps: 2500, minimums: { USD: 25 } });
    await setMerchantFee(handle.db, staff, organization.slug, { bps: 1500, minimums: {} });
    expect((await feeForMerchant(handle.db, organization.id)).bps).toBe(1500);
    await expect(setMerchantFee(handle.db, staff, "no-such-merchant", { bps: 1, minimums: {} })).rejects.toMatchObject({
      code: "unknown_merchant",
    });
    const settings = await getFeeSettings(handle.db, staff);
    expect(settings.overrides.map((o) => o.merchantName)).toEqual([organization.name]);
    await removeMerchantFee(handle.db, staff, organization.id);
    expect((await feeForMerchant(handle.db, organization.id)).bps).toBe(2500);
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.targetType, "fee_policy"));
    expect(rows.map((r) => r.action)).toEqual(["fee.default_set", "fee.merchant_set", "fee.merchant_removed"]);
    expect(rows[0]).toMatchObject({ actorEmail: staff.email, before: { bps: 2000 }, after: { bps: 2500 } });
  });
});
