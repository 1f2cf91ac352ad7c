import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { users } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { hashPassword } from "./passwords.server";

/**
 * Makes the account a verified staff user with this password, creating it when it does not exist.
 * Run from the command line, so the audit row has no actor.
 */
export async function createStaffUser(db: Database, input: { email: string; password: string; name: string }) {
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
    return user!;
  });
}
