import { z } from "zod";
import { httpsUrl, list } from "~/lib/form-values";
import { emailField } from "../auth/schemas";
import { COUNTRY_CODES } from "~/lib/countries";

const ORGANIZATION_KINDS = ["merchant", "publisher"] as const;
export const MEMBER_ROLES = ["owner", "admin", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const TRAFFIC_SOURCES = {
  content: "Content site / blog",
  seo: "Organic search (SEO)",
  social: "Organic social media",
  video: "Video / YouTube",
  influencer: "Influencer / creator",
  email: "Email newsletter",
  coupon: "Coupon & deals",
  cashback: "Cashback & loyalty",
  comparison: "Comparison / review site",
  paid_search: "Paid search",
  paid_social: "Paid social",
  native: "Native advertising",
  display: "Display advertising",
  podcast: "Podcast",
  mobile_app: "Mobile app",
} as const;
export type TrafficSource = keyof typeof TRAFFIC_SOURCES;

export const SOCIAL_PLATFORMS = ["instagram", "tiktok", "youtube", "x", "facebook", "linkedin", "pinterest", "twitch", "other"] as const;

export const createOrganizationSchema = z.object({
  kind: z.enum(ORGANIZATION_KINDS, { error: "Choose merchant or publisher" }),
  name: z
    .string({ error: "Enter the organization's name" })
    .trim()
    .min(2, "Use at least 2 characters")
    .max(80, "Use at most 80 characters"),
});

export const merchantProfileSchema = z.object({
  website: httpsUrl("Website"),
  description: z
    .string({ error: "Describe your business" })
    .trim()
    .min(20, "Write at least 20 characters")
    .max(2000, "Use at most 2,000 characters"),
  logoUrl: httpsUrl("Logo URL").optional(),
});

export const publisherProfileSchema = z
  .object({
    description: z
      .string({ error: "Describe how you promote offers" })
      .trim()
      .min(20, "Write at least 20 characters")
      .max(2000, "Use at most 2,000 characters"),
    websites: list(httpsUrl("Each website"), { max: 10, tooMany: "List at most 10 websites" }),
    socialChannels: list(
      z.object(
        { platform: z.enum(SOCIAL_PLATFORMS, { error: "Choose a platform" }), url: httpsUrl("Each channel") },
        { error: "Fill in each channel's platform and address" },
      ),
      {
        max: 10,
        tooMany: "List at most 10 channels",
      },
    ),
    niches: list(z.string({ error: "Choose a niche from the list" }).max(60, "Choose a niche from the list"), {
      min: 1,
      tooFew: "Choose at least one niche",
      max: 8,
      tooMany: "Choose at most 8 niches",
    }),
    trafficSources: list(z.enum(Object.keys(TRAFFIC_SOURCES) as [TrafficSource, ...TrafficSource[]], { error: "Unknown traffic source" }), {
      min: 1,
      tooFew: "Choose at least one traffic source",
      max: 15,
      tooMany: "Choose at most 15 traffic sources",
    }),
    country: z.enum(COUNTRY_CODES, { error: "Choose your country" }),
  })
  .refine((p) => p.websites.length + p.socialChannels.length > 0, {
    message: "Add at least one website or social channel",
    path: ["websites"],
  });

export const inviteSchema = z.object({
  email: emailField,
  role: z.enum(MEMBER_ROLES, { error: "Choose a role" }),
});

export const changeRoleSchema = z.object({
  membershipId: z.uuid("Unknown member"),
  role: z.enum(MEMBER_ROLES, { error: "Choose a role" }),
});
