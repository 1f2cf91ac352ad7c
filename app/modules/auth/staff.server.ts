import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { users } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { hashPassword } from "./passwords.server";

declare const staffBrand: unique symbol;

/**
 * A staff user acting in the console or from a script. The brand is a type-only symbol, so an object
 * literal or a signed-in user cannot pass for one: only `staffActorFor` (called by requireStaff) and
 * `createStaffUser` (called by scripts) make it. Every staff domain function takes one.
 */
export type StaffActor = { readonly id: string; readonly email: string; readonly [staffBrand]: true };

function brand(user: { id: string; email: string }): StaffActor {
  return { id: user.id, email: user.email } as StaffActor;
}

/** The signed-in user as a staff actor, or null when the account is not staff. */
export function staffActorFor(user: { id: string; email: string; isStaff: boolean }): StaffActor | null {
  return user.isStaff ? brand(user) : null;
}

/**
 * Makes the account a verified staff user with this password, creating it when it does not exist.
 * Run from the command line, so the audit row has no actor.
 */
export async function createStaffUser(db: Database, input: { email: string; password: string; name: string }): Promise<StaffActor> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash, isStaff: true, emailVerifiedAt: new Date() })
      .onConflictDoUpdate({
        target: users.email,
        set: { passwordHash, isStaff: true, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` },
      })
      .returning();
    await writeAudit(tx, null, {
      action: "staff.granted",
      targetType: "user",
      targetId: user!.id,
      after: { email: user!.email, isStaff: true },
    });
    return brand(user!);
  });
}
