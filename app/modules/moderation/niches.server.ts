import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { niches, offerNiches, publisherNiches } from "#db/schema";
import { queueNicheOffers } from "#search/outbox";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";

export async function listNichesWithUsage(db: Database, _staff: StaffActor) {
  return db
    .select({
      slug: niches.slug,
      name: niches.name,
      offers: sql<number>`(select count(*)::int from ${offerNiches} o where o.niche_slug = ${niches}.${sql.identifier("slug")})`,
      publishers: sql<number>`(select count(*)::int from ${publisherNiches} p where p.niche_slug = ${niches}.${sql.identifier("slug")})`,
    })
    .from(niches)
    .orderBy(niches.name);
}

export async function addNiche(db: Database, staff: StaffActor, input: { slug: string; name: string }) {
  await db.transaction(async (tx) => {
    const [created] = await tx.insert(niches).values(input).onConflictDoNothing().returning();
    if (!created) throw new DomainError("niche_exists", "A niche with this slug already exists.", "slug", 409);
    await writeAudit(tx, staff, { action: "niche.added", targetType: "niche", targetId: input.slug, after: input });
  });
}

/** Renaming changes every document that shows the niche, so its offers are re-indexed. */
export async function renameNiche(db: Database, staff: StaffActor, input: { slug: string; name: string }) {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(niches).where(eq(niches.slug, input.slug)).for("update");
    if (!before) throw notFound("Niche not found");
    await tx.update(niches).set({ name: input.name }).where(eq(niches.slug, input.slug));
    await queueNicheOffers(tx, input.slug);
    await writeAudit(tx, staff, {
      action: "niche.renamed",
      targetType: "niche",
      targetId: input.slug,
      before: { name: before.name },
      after: { name: input.name },
    });
  });
}

/** Only a niche nothing uses can go: removing a used one would silently change offers and profiles. */
export async function removeNiche(db: Database, staff: StaffActor, slug: string) {
  await db.transaction(async (tx) => {
    const [usage] = await tx
      .select({
        n: sql<number>`(select count(*)::int from ${offerNiches} where niche_slug = ${slug}) + (select count(*)::int from ${publisherNiches} where niche_slug = ${slug})`,
      })
      .from(sql`(select 1) one`);
    if (usage && usage.n > 0)
      throw new DomainError("niche_in_use", "This niche is used by offers or publishers. Rename it instead.", undefined, 409);
    const [removed] = await tx.delete(niches).where(eq(niches.slug, slug)).returning();
    if (!removed) throw notFound("Niche not found");
    await writeAudit(tx, staff, { action: "niche.removed", targetType: "niche", targetId: slug, before: { name: removed.name } });
  });
}
