import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import switchboard from "./eslint-rules/index.js";

/** Which module writes each table (names as exported by db/schema); every other module calls the owner. */
const tableOwners = {
  auth: ["users", "sessions", "userTokens", "rateLimits", "loginAddresses"],
  audit: ["auditLog"],
  orgs: ["organizations", "memberships", "invitations", "publisherProfiles", "publisherNiches", "merchantProfiles"],
  offers: ["offers", "offerNiches", "offerChanges", "marketplaceStats"],
  ledger: ["ledgerAccounts", "ledgerPostings", "ledgerEntries"],
  invoices: ["billingSettings", "invoiceSequence", "invoices", "invoiceLines", "invoiceItems", "invoicePayments"],
  payouts: ["payoutSettings", "payoutRuns", "payouts", "payoutItems"],
  reports: ["reportHours", "reportDetailHours", "reportMerchantDays"],
  api: ["apiKeys", "apiIdempotency"],
  "publisher-postbacks": ["publisherPostbacks", "postbackDeliveries", "postbackAttempts"],
  applications: ["applications", "partnerships"],
  commissions: ["feePolicies"],
  moderation: ["niches"],
  search: ["offerSearchDocuments", "searchWords", "searchFacetTotals"],
  emails: ["emailOutbox"],
  tracking: [
    "trackingLinks",
    "coupons",
    "clicks",
    "clickUniques",
    "clickDaily",
    "conversions",
    "conversionCounters",
    "postbackCredentials",
    "postbackLog",
    "conversionEvents",
    "conversionNotices",
    "fraudSettings",
  ],
};

/** A StaffActor is made by requireStaff (and createStaffUser for scripts), never by a route or module. */
const staffActorConstructor = {
  group: ["~/modules/auth/staff.server", "**/auth/staff.server", "./staff.server"],
  importNames: ["staffActorFor"],
  message: "Get a StaffActor from requireStaff (routes) or createStaffUser (scripts).",
};
const dataAccess = [
  {
    group: ["#db/schema", "#db/schema/*", "**/db/schema", "**/db/schema/*"],
    message: "Routes and components call app/modules, not tables.",
  },
  { group: ["drizzle-orm", "drizzle-orm/*"], message: "Routes and components call app/modules, not query builders." },
];
const appModules = {
  group: ["~/modules/*", "**/app/modules/*"],
  message: "search/, emails/ and db/ sit below app/modules: move shared vocabulary to app/lib, composition to scripts/.",
};
/** no-restricted-imports takes one option set per file, so each layer lists every pattern that applies to it. */
const restrictImports = (...patterns) => ["error", { patterns }];

export default tseslint.config(
  { ignores: ["build/", "data/", "node_modules/", "test-results/", "playwright-report/", "db/migrations/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks, switchboard },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-warning-comments": ["error", { terms: ["todo", "fixme", "xxx"], location: "start" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": restrictImports(staffActorConstructor),
    },
  },
  {
    files: ["app/routes/**", "app/components/**"],
    rules: { "no-restricted-imports": restrictImports(...dataAccess, staffActorConstructor) },
  },
  {
    files: ["search/**", "emails/**", "db/**"],
    rules: { "no-restricted-imports": restrictImports(appModules, staffActorConstructor) },
  },
  {
    files: ["app/lib/guards.server.ts", "tests/unit/staff-actor.test.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["app/modules/**"],
    rules: { "switchboard/no-foreign-table-writes": ["error", { owners: tableOwners }] },
  },
);
