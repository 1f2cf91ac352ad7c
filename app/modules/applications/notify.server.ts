import type { Database } from "#db/client";
import { enqueueEmail } from "#emails/outbox";
import type { PartnerNoticeProps } from "#emails/templates/marketplace";
import { contactEmails } from "../orgs/contacts.server";

/** Tells the owners and admins of an organization, in the caller's transaction. */
export async function notifyOrganization(db: Database, organizationId: string, notice: PartnerNoticeProps) {
  for (const email of await contactEmails(db, [organizationId])) await enqueueEmail(db, email, "partner_notice", notice);
}
