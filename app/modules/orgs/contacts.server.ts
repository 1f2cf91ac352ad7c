import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { memberships, users } from "#db/schema";

/** Who speaks for these organizations by email: their owners and admins, each address once. */
export async function contactEmails(db: Database, organizationIds: string[]): Promise<string[]> {
  if (organizationIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(inArray(memberships.organizationId, organizationIds), inArray(memberships.role, ["owner", "admin"])));
  return rows.map((r) => r.email);
}
