import type { Database } from "#db/client";
import { getTrackingActivity } from "../tracking/activity.server";
import { membershipsFor } from "./membership-data.server";
import { getOrganizationProfile } from "./organizations.server";
import type { Tenant } from "./tenant.server";

/** Whether the profile has what staff need to review the organization. */
function isProfileComplete(profile: Awaited<ReturnType<typeof getOrganizationProfile>>): boolean {
  if (profile.kind === "merchant") return Boolean(profile.profile.website && profile.profile.description);
  return Boolean(profile.profile.description && profile.profile.country && profile.niches.length && profile.profile.trafficSources.length);
}

/**
 * The organization, its last 30 days of clicks and conversions, and the getting-started steps while
 * it has none: the profile is read only for those steps.
 */
export async function getDashboard(db: Database, tenant: Tenant) {
  const [memberCount, activity] = await Promise.all([membershipsFor(db, tenant).count(), getTrackingActivity(db, tenant)]);
  const page = { organization: tenant.organization, role: tenant.role, memberCount, activity };
  if (activity.clicks.clicks > 0 || activity.latest.length > 0) return { ...page, checklist: null };
  const profile = await getOrganizationProfile(db, tenant.organization);
  const checklist = [
    { label: "Verify your email address", done: true, href: null },
    { label: "Complete your profile", done: isProfileComplete(profile), href: "/app/profile" },
    { label: "Get approved by the network team", done: tenant.organization.status === "active", href: null },
    { label: "Invite your team", done: memberCount > 1, href: "/app/team" },
  ];
  return { ...page, checklist };
}
