import { randomUUID } from "node:crypto";
import type { Database } from "#db/client";
import { writeClicks, type ClickRecord } from "~/modules/tracking/click-recorder.server";
import { partnershipRefs } from "./tracking-rows";

export type ClickSpec = { at: number; ip: string; sub1?: string; country?: string; bot?: boolean; clickId?: string };

/** Clicks on a partnership's link written as the recorder writes a batch (one statement, rollups included). */
export async function writeTestClicks(db: Database, partnershipId: string, specs: ClickSpec[]) {
  const refs = await partnershipRefs(db, partnershipId);
  const batch: ClickRecord[] = specs.map((s) => ({
    clickId: s.clickId ?? randomUUID(),
    clickedAt: Math.floor(s.at / 1000),
    linkId: refs.linkId,
    partnershipId: refs.partnershipId,
    offerId: refs.offerId,
    publisherId: refs.publisherId,
    merchantId: refs.merchantId,
    sub1: s.sub1 ?? null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    ip: s.ip,
    userAgent: "Mozilla/5.0 (test)",
    referrer: null,
    country: s.country ?? null,
    isBot: s.bot ?? false,
  }));
  await writeClicks(db, batch, Buffer.alloc(32, 5));
}
