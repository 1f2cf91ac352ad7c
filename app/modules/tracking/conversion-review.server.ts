import type { Database } from "#db/client";
import type { RejectionReason } from "~/lib/labels";
import { DomainError, notFound } from "../errors.server";
import { assertTenant, hasRole, type Tenant } from "../orgs/tenant.server";
import { conversionsFor } from "./conversion-data.server";
import type { ChangeOutcome } from "./lifecycle.server";
import type { ReviewSelection } from "./schemas";

const REVIEWERS = {
  kind: "merchant",
  role: "admin",
  forbidden: "Only the merchant's owners and admins approve or reject conversions.",
} as const;

/** Whether the tenant may approve, reject or import changes: the merchant's owners and admins. */
export function canReviewConversions(tenant: Tenant): boolean {
  return tenant.organization.kind === "merchant" && hasRole(tenant, "admin");
}

/** For a reviewer's page: a publisher finds nothing here (404), a merchant's member is told why not (403). */
export function assertConversionReviewer(tenant: Tenant) {
  assertTenant(tenant, REVIEWERS);
}

/** The merchant approves pending conversions before their validation period ends. */
export async function approveConversions(db: Database, tenant: Tenant, ids: string[]) {
  assertTenant(tenant, REVIEWERS);
  return conversionsFor(db, tenant).change(ids, { action: "approve" });
}

/** The merchant rejects pending conversions with a reason code and a note the publisher reads. */
export async function rejectConversions(db: Database, tenant: Tenant, ids: string[], reason: RejectionReason, note: string | null) {
  assertTenant(tenant, REVIEWERS);
  return conversionsFor(db, tenant).change(ids, { action: "reject", reason, note });
}

/** The merchant reverses approved conversions (a return, a chargeback) with a reason code and a note. */
async function reverseConversions(db: Database, tenant: Tenant, ids: string[], reason: RejectionReason, note: string | null) {
  assertTenant(tenant, REVIEWERS);
  return conversionsFor(db, tenant).change(ids, { action: "reverse", reason, note });
}

export type ReviewDecision = { decision: "approve" } | { decision: "reject" | "reverse"; reason: RejectionReason; note: string | null };

/**
 * One conversion, from its page or the API: approved, rejected or reversed, or already so. Another tenant's is not found
 * (404); one the lifecycle does not let move is refused with its reason (409), and nothing changes.
 */
export async function reviewConversion(db: Database, tenant: Tenant, id: string, review: ReviewDecision) {
  const [outcome] =
    review.decision === "approve"
      ? await approveConversions(db, tenant, [id])
      : await (review.decision === "reject" ? rejectConversions : reverseConversions)(db, tenant, [id], review.reason, review.note);
  if (!outcome || outcome.result === "not_found") throw notFound("Conversion not found");
  if (outcome.result === "refused") throw new DomainError("refused", outcome.message, undefined, 409);
  return { status: outcome.result === "changed" ? outcome.to : outcome.status, changed: outcome.result === "changed" };
}

/** What a review of many conversions did: how many moved, and each that could not with why. */
export type ReviewSummary = {
  decision: "approve" | "reject";
  changed: number;
  unchanged: number;
  problems: { orderId: string | null; event: string | null; message: string }[];
};

/**
 * The conversions ticked in the list, approved or rejected together in one transaction. Each that
 * may not move (or is not the merchant's: it is simply not found) is reported; the rest move.
 */
export async function reviewSelection(db: Database, tenant: Tenant, selection: ReviewSelection): Promise<ReviewSummary> {
  const ids = [...new Set(selection.ids)];
  const outcomes =
    selection.intent === "approve"
      ? await approveConversions(db, tenant, ids)
      : await rejectConversions(db, tenant, ids, selection.reason!, selection.note);
  return summarize(db, tenant, selection.intent, outcomes);
}

async function summarize(db: Database, tenant: Tenant, decision: ReviewSummary["decision"], outcomes: ChangeOutcome[]) {
  const refused = outcomes.filter((o) => o.result === "refused");
  const names = new Map((await conversionsFor(db, tenant).orders(refused.map((o) => o.id))).map((o) => [o.id, o]));
  const problems = outcomes.flatMap((o): ReviewSummary["problems"] => {
    if (o.result === "not_found") return [{ orderId: null, event: null, message: "Not found: it is not a conversion of yours." }];
    if (o.result !== "refused") return [];
    const name = names.get(o.id);
    return [{ orderId: name?.orderId ?? null, event: name?.event ?? null, message: o.message }];
  });
  return {
    decision,
    changed: outcomes.filter((o) => o.result === "changed").length,
    unchanged: outcomes.filter((o) => o.result === "unchanged").length,
    problems,
  };
}
