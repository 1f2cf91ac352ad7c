import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { memberships, users } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import type { PartnerNoticeProps } from "#emails/templates/marketplace";

/** Tells the owners and admins of an organization, in the caller's transaction. */
export async function notifyOrganization(db: Database, organizationId: string, notice: PartnerNoticeProps) {
  const recipients = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.role, ["owner", "admin"])));
  for (const { email } of recipients) await enqueueEmail(db, email, "partner_notice", notice);
}
