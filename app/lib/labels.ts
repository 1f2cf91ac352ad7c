/*
 * What a person reads for each stored enum value: one map per enum, used by every page, so no page
 * shows "pending_review" or "approval". The form option labels of payout types, visibilities,
 * country modes and traffic sources live with their schemas (app/modules/offers/schemas.ts,
 * app/modules/orgs/schemas.ts).
 */
export const ORGANIZATION_KIND_LABELS = { merchant: "Merchant", publisher: "Publisher" } as const;

export const ORGANIZATION_STATUS_LABELS = {
  pending_review: "In review",
  active: "Active",
  rejected: "Rejected",
  suspended: "Suspended",
} as const;

export const MEMBER_ROLE_LABELS = { owner: "Owner", admin: "Admin", member: "Member" } as const;

export const OFFER_STATUS_LABELS = {
  draft: "Draft",
  in_review: "In review",
  active: "Active",
  paused: "Paused",
  archived: "Archived",
} as const;

export const APPLICATION_STATUS_LABELS = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
} as const;

export const PARTNERSHIP_STATUS_LABELS = { invited: "Invited", active: "Active", paused: "Paused", ended: "Ended" } as const;

export const EMAIL_STATUS_LABELS = { pending: "Queued", sent: "Sent", failed: "Failed" } as const;

/** How a publisher joins a marketplace offer (private offers are not listed). */
export const APPROVAL_MODE_LABELS = { public: "Instant", approval: "Requires approval" } as const;

export const SOCIAL_PLATFORM_LABELS = {
  instagram: "Instagram",
  tiktok: "TikTok",
  youtube: "YouTube",
  x: "X (Twitter)",
  facebook: "Facebook",
  linkedin: "LinkedIn",
  pinterest: "Pinterest",
  twitch: "Twitch",
  other: "Other",
} as const;

export const PAYOUT_TYPE_NAMES = { cps: "CPS", cpa: "CPA", hybrid: "Hybrid" } as const;

/** The label of a value, or the value itself when it is not one the map knows (an old or unknown value). */
export function labelOf<M extends Record<string, string>>(labels: M, value: string): string {
  return Object.hasOwn(labels, value) ? labels[value as keyof M]! : value;
}
