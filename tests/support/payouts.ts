import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { applyToOffer } from "~/modules/applications/applications.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { changeConversions, type ConversionActor, type ConversionChange } from "~/modules/tracking/lifecycle.server";
import { createOrgWithOwner, findPartnership, links, uniqueEmail } from "./factories";
import { createActiveOffer } from "./offers";
import { insertConversion } from "./tracking-rows";

/** A merchant with a live USD offer, a publisher partnered on it, and staff: the parties of a payout. */
export async function buildPayoutWorld(db: Database) {
  const staff = await createStaffUser(db, { email: uniqueEmail("staff"), password: "staff passphrase 1", name: "Staff" });
  const merchant = await createOrgWithOwner(db, "merchant");
  const offer = await createActiveOffer(db, merchant.tenant, { visibility: "public" });
  const actor: ConversionActor = { kind: "staff", userId: staff.id, label: staff.email };

  async function publisher() {
    const org = await createOrgWithOwner(db, "publisher");
    await applyToOffer(db, org.tenant, { offerId: offer.id, message: "", answers: [], acceptTerms: true }, links);
    const partnership = await findPartnership(db, offer.id, org.organization.id);
    return { ...org, partnershipId: partnership.id };
  }

  const change = (ids: string[], c: ConversionChange) => db.transaction((tx) => changeConversions(tx, sql`true`, actor, ids, c));

  /** Conversions of these commissions (minor units) on the publisher's partnership, pending unless approved. */
  async function conversions(partnershipId: string, commissions: number[], approve = true) {
    const rows = [];
    for (const commissionMinor of commissions) rows.push(await insertConversion(db, partnershipId, { commissionMinor, feeMinor: 100 }));
    const ids = rows.map((r) => r.id);
    if (approve) await change(ids, { action: "approve" });
    return ids;
  }

  const reverse = (ids: string[]) => change(ids, { action: "reverse", reason: "fraud", note: null });
  const refund = (ids: string[]) => change(ids, { action: "refund", note: null });

  return { staff, merchant, offer, publisher, conversions, reverse, refund, links };
}

/** A payout's status and amount, and its items' amounts in posting order. */
export async function payoutRows(db: Database, publisherId: string) {
  return selectRows<{ id: string; status: string; amount: string; items: string[] }>(
    db,
    sql`select p.id, p.status, p.amount_minor::text as amount,
        array(select i.amount_minor::text from payout_items i where i.payout_id = p.id order by i.posting_id) as items
      from payouts p where p.publisher_id = ${publisherId} order by p.created_at, p.id`,
  );
}
