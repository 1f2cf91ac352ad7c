import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { emailOutbox, memberships, organizations, partnerships, users } from "#db/schema";
import { finishSignUp } from "~/modules/auth/account-emails.server";
import { hashPassword } from "~/modules/auth/passwords.server";
import { createSession } from "~/modules/auth/sessions.server";
import { createOrganization } from "~/modules/orgs/organizations.server";
import { resolveTenant, type SessionTenant } from "~/modules/orgs/tenant.server";

export const links = { appUrl: "http://switchboard.test" };
export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

let passwordHash: Promise<string> | undefined;

/**
 * A signed-up, verified user with a session: the sign-up job's work (account and verification email)
 * without the request's limits, and the password hashed once for all users.
 */
export async function createUser(db: Database, overrides: { email?: string; name?: string } = {}) {
  const email = overrides.email ?? uniqueEmail();
  passwordHash ??= hashPassword(PASSWORD);
  await finishSignUp(db, { name: overrides.name ?? "Test User", email, passwordHash: await passwordHash }, links);
  const [user] = await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.email, email)).returning();
  const { token, session } = await createSession(db, user!.id);
  return { user: user!, session, sessionToken: token };
}

/** A user who owns a new organization of the kind, and the tenant they act as. */
export async function createOrgWithOwner(
  db: Database,
  kind: "merchant" | "publisher" = "merchant",
  status: "pending_review" | "active" = "active",
) {
  const owner = await createUser(db);
  const organization = await createOrganization(
    db,
    { user: owner.user, sessionId: owner.session.id },
    { kind, name: `Org ${randomUUID().slice(0, 6)}` },
  );
  if (status === "active") await db.update(organizations).set({ status }).where(eq(organizations.id, organization.id));
  const tenant = (await resolveTenant(db, owner.user, organization.id))!;
  return { owner, organization, tenant };
}

/** A new user in the organization with the role, as the tenant they act as. */
export async function createMember(db: Database, organizationId: string, role: "admin" | "member" = "member"): Promise<SessionTenant> {
  const person = await createUser(db);
  await db.insert(memberships).values({ organizationId, userId: person.user.id, role });
  return (await resolveTenant(db, person.user, organizationId))!;
}

/** The publisher's partnership on the offer, whatever its status (an invitation is one too). */
export async function findPartnership(db: Database, offerId: string, publisherId: string) {
  const [row] = await db
    .select()
    .from(partnerships)
    .where(and(eq(partnerships.offerId, offerId), eq(partnerships.publisherId, publisherId)));
  if (!row) throw new Error(`No partnership of publisher ${publisherId} on offer ${offerId}`);
  return row;
}

export async function emailsTo(db: Database, address: string) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, address)).orderBy(emailOutbox.id);
}

/** The first link in an email's plain text that starts with the prefix. */
export function linkIn(text: string, prefix: string): string {
  const match = text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^\\s\\])]+`));
  if (!match) throw new Error(`No link starting with ${prefix} in:\n${text}`);
  return match[0];
}
