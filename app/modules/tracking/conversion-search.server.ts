import { desc, eq, or } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "#db/client";
import { conversions } from "#db/schema";
import type { StaffActor } from "../auth/staff.server";
import { conversionPostingCounts } from "../ledger/balances.server";
import { selectListedConversions } from "./conversion-data.server";
import { conversionView } from "./conversions.server";

const CONVERSION_SEARCH_LIMIT = 50;

/**
 * Any conversion in the network by its id, its order id or its click id (one search box), newest
 * first: an order id can repeat across merchants and events, so several may match. Each says how
 * many ledger postings it has, for the link to them.
 */
export async function findConversions(db: Database, _staff: StaffActor, text: string) {
  const term = text.trim();
  if (!term) return [];
  const isId = z.uuid().safeParse(term).success;
  const rows = await selectListedConversions(db)
    .where(or(isId ? eq(conversions.id, term) : undefined, eq(conversions.orderId, term), eq(conversions.clickId, term)))
    .orderBy(desc(conversions.createdAt), desc(conversions.id))
    .limit(CONVERSION_SEARCH_LIMIT);
  const ids = rows.map((row) => row.conversion.id);
  const postings = await conversionPostingCounts(db, ids);
  return rows.map((row) => ({ ...conversionView(row, "staff"), postings: postings.get(row.conversion.id) ?? 0 }));
}
