import { eq } from "drizzle-orm";
import { hashPassword } from "~/modules/auth/passwords.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import type { Database } from "#db/client";
import { queueOfferIndexing } from "#search/outbox";
import {
  applications,
  memberships,
  merchantProfiles,
  offerNiches,
  offers,
  organizations,
  partnerships,
  publisherNiches,
  publisherProfiles,
  users,
  type OfferTerm,
} from "#db/schema";
import { runTask } from "./cli";
import { seedTracking } from "./seed-tracking";

const DEMO_PASSWORD = "switchboard-demo";
const STAFF = { email: "staff@switchboard.example", name: "Nadia Okafor" };

type Status = (typeof organizations.$inferSelect)["status"];
type DemoOrg = {
  name: string;
  slug: string;
  status: Status;
  reason?: string;
  owner: { email: string; name: string };
  members?: { email: string; name: string; role: "admin" | "member" }[];
} & (
  | { kind: "merchant"; website: string; description: string }
  | {
      kind: "publisher";
      description: string;
      websites: string[];
      social: { platform: string; url: string }[];
      niches: string[];
      traffic: string[];
      country: string;
    }
);

const demo: DemoOrg[] = [
  {
    kind: "merchant",
    name: "Northwind Outdoor",
    slug: "northwind-outdoor",
    status: "active",
    owner: { email: "maya@northwind.example", name: "Maya Lindqvist" },
    members: [{ email: "tom@northwind.example", name: "Tom Becker", role: "admin" }],
    website: "https://northwind-outdoor.example",
    description: "Technical outdoor gear: tents, packs and layers designed in Norway, shipped across Europe and North America.",
  },
  {
    kind: "merchant",
    name: "Lumen Skincare",
    slug: "lumen-skincare",
    status: "active",
    owner: { email: "ines@lumen.example", name: "Inès Moreau" },
    website: "https://lumenskincare.example",
    description: "Clean, dermatologist-tested skincare sold direct to consumer, with subscriptions and a generous sample program.",
  },
  {
    kind: "merchant",
    name: "Bytewise VPN",
    slug: "bytewise-vpn",
    status: "pending_review",
    owner: { email: "sam@bytewise.example", name: "Sam Park" },
    website: "https://bytewise.example",
    description: "A no-logs VPN with apps for every platform. Monthly and yearly plans, 30-day money-back guarantee.",
  },
  {
    kind: "merchant",
    name: "QuickLoans Now",
    slug: "quickloans-now",
    status: "rejected",
    reason: "Payday lending is outside the network's acceptable-use policy.",
    owner: { email: "rick@quickloans.example", name: "Rick Dalton" },
    website: "https://quickloans.example",
    description: "Instant short-term loans approved in minutes, no credit checks, money in your account today.",
  },
  {
    kind: "publisher",
    name: "Trail & Summit",
    slug: "trail-and-summit",
    status: "active",
    owner: { email: "alex@trailsummit.example", name: "Alex Rivera" },
    description: "Long-form gear reviews and trip reports for hikers and climbers; 180k monthly readers, mostly US and UK.",
    websites: ["https://trailandsummit.example"],
    social: [{ platform: "youtube", url: "https://youtube.com/@trailandsummit" }],
    niches: ["outdoors", "fitness", "travel"],
    traffic: ["content", "seo", "video"],
    country: "US",
  },
  {
    kind: "publisher",
    name: "The Frugal Parent",
    slug: "the-frugal-parent",
    status: "active",
    owner: { email: "priya@frugalparent.example", name: "Priya Shah" },
    members: [{ email: "dev@frugalparent.example", name: "Dev Shah", role: "member" }],
    description: "Deals and honest product picks for families on a budget, with a weekly newsletter to 60k subscribers.",
    websites: ["https://frugalparent.example"],
    social: [{ platform: "instagram", url: "https://instagram.com/frugalparent" }],
    niches: ["parenting", "home-garden", "food-drink"],
    traffic: ["content", "email", "coupon"],
    country: "GB",
  },
  {
    kind: "publisher",
    name: "TechTok Reviews",
    slug: "techtok-reviews",
    status: "pending_review",
    owner: { email: "jun@techtok.example", name: "Jun Tanaka" },
    description: "Short-form gadget and software reviews on TikTok and YouTube Shorts, 400k followers.",
    websites: [],
    social: [
      { platform: "tiktok", url: "https://tiktok.com/@techtokreviews" },
      { platform: "youtube", url: "https://youtube.com/@techtokreviews" },
    ],
    niches: ["electronics", "software-saas", "vpn-security"],
    traffic: ["social", "influencer", "video"],
    country: "CA",
  },
  {
    kind: "publisher",
    name: "DealBlaster",
    slug: "dealblaster",
    status: "suspended",
    reason: "Brand-bidding on merchants' trademarks in paid search against network terms.",
    owner: { email: "max@dealblaster.example", name: "Max Krüger" },
    description: "Coupon aggregator with browser extension.",
    websites: ["https://dealblaster.example"],
    social: [],
    niches: ["fashion", "electronics"],
    traffic: ["coupon", "paid_search"],
    country: "DE",
  },
];

async function ensureUser(db: Database, person: { email: string; name: string }, passwordHash: string) {
  const [created] = await db
    .insert(users)
    .values({ ...person, passwordHash, emailVerifiedAt: new Date() })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (created) return created.id;
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, person.email));
  return existing!.id;
}

async function seedOrganization(db: Database, org: DemoOrg, passwordHash: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(organizations)
      .values({ kind: org.kind, name: org.name, slug: org.slug, status: org.status, statusReason: org.reason ?? null })
      .onConflictDoNothing()
      .returning({ id: organizations.id });
    if (!row) return;
    const people = [{ ...org.owner, role: "owner" as const }, ...(org.members ?? [])];
    for (const person of people) {
      const userId = await ensureUser(tx, person, passwordHash);
      await tx.insert(memberships).values({ organizationId: row.id, userId, role: person.role }).onConflictDoNothing();
    }
    if (org.kind === "merchant") {
      await tx.insert(merchantProfiles).values({ organizationId: row.id, website: org.website, description: org.description });
    } else {
      await tx.insert(publisherProfiles).values({
        organizationId: row.id,
        description: org.description,
        websites: org.websites,
        socialChannels: org.social,
        trafficSources: org.traffic,
        country: org.country,
      });
      await tx.insert(publisherNiches).values(org.niches.map((nicheSlug) => ({ organizationId: row.id, nicheSlug })));
    }
  });
}

type DemoOffer = {
  merchant: string;
  title: string;
  description: string;
  niches: string[];
  terms: OfferTerm[];
  visibility: "public" | "approval" | "private";
  countries?: string[];
};

const cps = (bps: number, tiers: OfferTerm["tiers"] = []): OfferTerm => ({ event: "sale", type: "cps", flatMinor: null, bps, tiers });
const demoOffers: DemoOffer[] = [
  {
    merchant: "northwind-outdoor",
    title: "Northwind ultralight tents",
    description: "Four-season and ultralight tents designed in Norway.\n\n- Free returns for 60 days\n- Ships to Europe and North America",
    niches: ["outdoors", "travel"],
    terms: [cps(800, [{ minConversions: 50, flatMinor: null, bps: 1000 }])],
    visibility: "approval",
    countries: ["US", "CA", "GB", "DE", "NO", "SE"],
  },
  {
    merchant: "northwind-outdoor",
    title: "Northwind rain jackets and layers",
    description: "Waterproof shells and merino layers for every trail. Average order value above $180.",
    niches: ["outdoors", "fashion"],
    terms: [cps(700)],
    visibility: "public",
  },
  {
    merchant: "lumen-skincare",
    title: "Lumen vitamin C serum subscription",
    description: "Dermatologist-tested skincare with a monthly subscription. You earn on the first order and on the sign-up.",
    niches: ["beauty", "health-wellness"],
    terms: [
      { event: "sale", type: "hybrid", flatMinor: 500, bps: 1200, tiers: [] },
      { event: "lead", type: "cpa", flatMinor: 150, bps: null, tiers: [] },
    ],
    visibility: "approval",
  },
  {
    merchant: "lumen-skincare",
    title: "Lumen VIP creator program",
    description: "A private program for beauty creators with custom codes and early access to launches.",
    niches: ["beauty"],
    terms: [cps(1500)],
    visibility: "private",
  },
];

async function seedOffers(db: Database) {
  const [existing] = await db.select({ id: offers.id }).from(offers).limit(1);
  if (existing) return;
  await db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const o of demoOffers) {
      const [merchant] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, o.merchant));
      const [offer] = await tx
        .insert(offers)
        .values({
          merchantId: merchant!.id,
          title: o.title,
          description: o.description,
          landingUrl: `https://${o.merchant}.example/`,
          deepLinkDomains: [`${o.merchant}.example`],
          countryMode: o.countries ? "include" : "all",
          countries: o.countries ?? [],
          currency: "USD",
          terms: o.terms,
          cookieDays: 30,
          validationDays: 30,
          caps: { offerDaily: null, offerMonthly: null, partnerDaily: null, partnerMonthly: null },
          termsAndConditions: "No brand bidding. No coupon sites without written approval.",
          creatives: { banners: [], textLinks: [`Shop ${o.title}`], guidelines: "" },
          visibility: o.visibility,
          questions: o.visibility === "approval" ? ["Where will you promote the offer?"] : [],
          status: "active",
          publishedAt: new Date(),
        })
        .returning({ id: offers.id });
      await tx.insert(offerNiches).values(o.niches.map((nicheSlug) => ({ offerId: offer!.id, nicheSlug })));
      ids.push(offer!.id);
    }
    const bySlug = async (slug: string) =>
      (await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)))[0]!.id;
    const trail = await bySlug("trail-and-summit");
    const frugal = await bySlug("the-frugal-parent");
    await tx.insert(partnerships).values({ offerId: ids[0]!, publisherId: trail, status: "active" });
    await tx.insert(applications).values({
      offerId: ids[0]!,
      publisherId: trail,
      status: "approved",
      message: "Gear reviews for 180k readers.",
      answers: [{ question: "Where will you promote the offer?", answer: "Our tent buyer's guide." }],
      termsAcceptedAt: new Date(),
      decidedAt: new Date(),
    });
    await tx.insert(applications).values({
      offerId: ids[2]!,
      publisherId: frugal,
      message: "Our readers ask for affordable skincare.",
      answers: [{ question: "Where will you promote the offer?", answer: "Weekly newsletter, 60k subscribers." }],
      termsAcceptedAt: new Date(),
    });
    await queueOfferIndexing(tx, ids);
  });
}

await runTask(async (db, config) => {
  await createStaffUser(db, { ...STAFF, password: DEMO_PASSWORD });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const org of demo) await seedOrganization(db, org, passwordHash);
  await seedOffers(db);
  const tracking = await seedTracking(db, config);
  console.log(`\nDemo network ready at ${config.APP_URL} — every demo login uses the password "${DEMO_PASSWORD}":\n`);
  const rows = [
    ["staff", STAFF.email, "network staff console"],
    ...demo.map((o) => [o.kind, o.owner.email, `${o.name} (${o.status.replace("_", " ")})`]),
  ];
  for (const [role, email, what] of rows) console.log(`  ${role!.padEnd(10)} ${email!.padEnd(30)} ${what}`);
  if (tracking) {
    console.log(`\nA demo tracking link (open it while the app runs):\n  ${tracking.trackingUrl}`);
    console.log(`\nA working demo postback (a conversion for that link, with a fresh click id):\n  ${tracking.postback}`);
  }
  console.log("");
});
