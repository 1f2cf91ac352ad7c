import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { approveOrganization, onboard, saveDraftOffer, staffPage, uniqueEmail, visitorPage } from "./helpers";

async function post(page: Page, path: string, form: Record<string, string>) {
  const origin = new URL(page.url()).origin;
  return page.request.post(path, { form, headers: { origin }, maxRedirects: 0 });
}

/**
 * Every staff page, from the route files (Remix flat-route names: dots are slashes, `$id` a param),
 * each param filled with the id of a real row of the collection before it, or of none (`missing`:
 * staff get that page's 404, as they do for a row that is gone; fraud.spec.ts opens a real one). A
 * new staff route with a param fails here until the test has an id for it.
 */
function staffPages(ids: Record<string, string>, missing: Record<string, string> = {}) {
  const dir = "app/routes";
  return readdirSync(dir)
    .filter((file) => /^staff\./.test(file))
    .map((file) => {
      const segments = file
        .replace(/\.tsx$/, "")
        .split(".")
        .filter((s) => s !== "_index");
      const path = segments.map((s, i) => {
        if (!s.startsWith("$")) return s;
        const id = ids[segments[i - 1]!] ?? missing[segments[i - 1]!];
        if (!id) throw new Error(`No id for the ${s} param of ${file}: add one to the staff pages test`);
        return id;
      });
      const exists = segments.every((s, i) => !s.startsWith("$") || ids[segments[i - 1]!]);
      return {
        path: `/${path.join("/")}`,
        staffStatus: exists ? 200 : 404,
        hasAction: readFileSync(`${dir}/${file}`, "utf8").includes("export async function action"),
      };
    });
}

test("a member of organization A gets 404 for every action on organization B, and B is unchanged", async ({ browser }) => {
  const staffView = await staffPage(browser);
  const b = await visitorPage(browser);
  const bName = `Org B ${Date.now()}`;
  await onboard(b, staffView, "Merchant", bName);
  await b.goto("/app/team");
  const invitee = uniqueEmail("b-invitee");
  await b.getByLabel("Email").fill(invitee);
  await b.getByRole("button", { name: "Send invitation" }).click();
  await expect(b.getByText("Invitation sent.")).toBeVisible();
  const bMembershipId = await b.locator('input[name="membershipId"]').first().getAttribute("value");
  const bInvitationId = await b.getByRole("listitem").filter({ hasText: invitee }).locator('input[name="id"]').getAttribute("value");
  await staffView.goto(`/staff/organizations?q=${encodeURIComponent(bName)}`);
  const bOrgId = (await staffView.getByRole("link", { name: bName }).getAttribute("href"))!.split("/").at(-1)!;

  const a = await visitorPage(browser);
  await onboard(a, staffView, "Publisher", `Org A ${Date.now()}`);

  const attempts: [string, Record<string, string>][] = [
    ["/app/team", { intent: "change-role", membershipId: bMembershipId!, role: "member" }],
    ["/app/team", { intent: "remove", id: bMembershipId! }],
    ["/app/team", { intent: "revoke", id: bInvitationId! }],
    ["/app/switch", { organizationId: bOrgId }],
  ];
  for (const [path, form] of attempts) {
    const response = await post(a, path, form);
    expect(response.status(), `${path} ${form.intent ?? ""}`).toBe(404);
  }

  await b.reload();
  await expect(b.getByRole("listitem").filter({ hasText: invitee })).toBeVisible();
  await expect(b.getByLabel(/Role of/).first()).toHaveValue("owner");
  await a.goto("/app");
  await expect(a.getByRole("heading", { name: bName })).toHaveCount(0);
});

test("anyone who is not staff gets 404 on every staff page and action", async ({ browser }) => {
  const staffView = await staffPage(browser);
  const user = await visitorPage(browser);
  await onboard(user, staffView, "Merchant", `Curious ${Date.now()}`);
  const offerId = (await saveDraftOffer(user, `Curious boxes ${Date.now()}`)).split("/").at(-1)!;
  await staffView.goto("/staff/organizations");
  const orgId = (await staffView.getByRole("link").filter({ hasText: "Curious" }).first().getAttribute("href"))!.split("/").at(-1)!;
  await staffView.goto("/staff/mailbox");
  const mailId = (await staffView.locator('a[href^="/staff/mailbox/"]').first().getAttribute("href"))!.split("/").at(-1)!;
  const anonymous = await visitorPage(browser);
  await anonymous.goto("/");

  // A held conversion, an invoice and a payout run each take a whole journey to make (fraud, invoices
  // and payouts specs); here ones that do not exist.
  const pages = staffPages(
    { organizations: orgId, offers: offerId, mailbox: mailId },
    { fraud: randomUUID(), invoices: randomUUID(), payouts: randomUUID() },
  );
  expect(pages.map((p) => p.path)).toContain(`/staff/mailbox/${mailId}/html`);
  for (const { path, staffStatus } of pages) {
    expect((await staffView.request.get(path, { maxRedirects: 0 })).status(), `${path} as staff`).toBe(staffStatus);
  }
  for (const visitor of [user, anonymous]) {
    for (const { path, hasAction } of pages) {
      expect((await visitor.request.get(path, { maxRedirects: 0 })).status(), path).toBe(404);
      if (hasAction) expect((await post(visitor, path, {})).status(), `POST ${path}`).toBe(404);
    }
    const decision = await post(visitor, `/staff/organizations/${orgId}`, { decision: "approve" });
    expect(decision.status()).toBe(404);
    const review = await post(visitor, `/staff/offers/${offerId}`, { decision: "approve" });
    expect(review.status()).toBe(404);
  }
  await user.goto("/staff");
  await expect(user.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await staffView.goto(`/staff/organizations/${orgId}`);
  await expect(staffView.getByText("In review").first()).toBeVisible();
});

test("another merchant gets 404 for an offer's pages and actions, its applications and partners, and a publisher for a private offer", async ({
  browser,
}) => {
  const staffView = await staffPage(browser);
  const a = await visitorPage(browser);
  const aName = `Owner Shop ${Date.now()}`;
  await onboard(a, staffView, "Merchant", aName);
  await approveOrganization(staffView, aName);
  const offerPath = await saveDraftOffer(a, "Private tasting boxes", "private");
  const offerId = offerPath.split("/").at(-1)!;

  const openTitle = `Open tasting boxes ${Date.now()}`;
  const openId = (await saveDraftOffer(a, openTitle)).split("/").at(-1)!;
  await a.getByRole("button", { name: "Submit for review" }).click();
  await expect(a.getByText("Submitted: the network team will review the offer.")).toBeVisible();
  await staffView.goto(`/staff/offers/${openId}`);
  await staffView.getByRole("button", { name: "Approve offer" }).click();
  await expect(staffView.getByText("the offer is now active")).toBeVisible();

  const applicant = await visitorPage(browser);
  const applicantName = `Applicant ${Date.now()}`;
  await onboard(applicant, staffView, "Publisher", applicantName);
  await approveOrganization(staffView, applicantName);
  await applicant.goto(`/app/marketplace/${openId}`);
  await applicant.getByLabel("I accept the offer's terms and conditions").check();
  await applicant.getByRole("button", { name: "Apply" }).click();
  await expect(applicant.getByText("Application sent.")).toBeVisible();
  await a.goto("/app/applications");
  const applicationId = (await a.locator('input[name="applicationId"]').first().getAttribute("value"))!;

  const b = await visitorPage(browser);
  await onboard(b, staffView, "Merchant", `Rival Shop ${Date.now()}`);
  expect((await b.request.get(offerPath, { maxRedirects: 0 })).status()).toBe(404);
  const forms: Record<string, string>[] = [
    { intent: "archive" },
    { intent: "save", title: "Hijacked" },
    { intent: "invite", publisherSlug: "anyone" },
  ];
  for (const form of forms) {
    expect((await post(b, offerPath, form)).status(), form.intent).toBe(404);
  }
  expect((await post(b, "/app/applications", { intent: "decide", applicationId, decision: "approve" })).status()).toBe(404);
  expect((await post(b, "/app/applications", { intent: "auto-approve", offerId: openId, autoApprove: "true" })).status()).toBe(404);

  // The application was still waiting, and auto-approve still off: A can act on both, so B's 404s meant something.
  await a.reload();
  await expect(a.getByRole("button", { name: "Auto-approve this offer from now on" })).toBeVisible();
  await a.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(a.getByText("Saved. The publisher was emailed.")).toBeVisible();
  await a.goto("/app/partners");
  const partnershipId = (await a.locator('input[name="partnershipId"]').first().getAttribute("value"))!;
  const partnerForms: Record<string, string>[] = [
    { intent: "status", partnershipId, action: "end" },
    { intent: "status", partnershipId, action: "pause" },
    { intent: "custom-rate", partnershipId, "percent[0]": "50" },
  ];
  for (const form of partnerForms) {
    expect((await post(b, "/app/partners", form)).status(), JSON.stringify(form)).toBe(404);
  }
  await a.reload();
  await expect(a.getByText("Active", { exact: true }).first()).toBeVisible();
  await expect(a.getByText("sale: 10%").first()).toBeVisible();

  const publisher = await visitorPage(browser);
  await onboard(publisher, staffView, "Publisher", `Snoop ${Date.now()}`);
  expect((await publisher.request.get(`/app/marketplace/${offerId}`, { maxRedirects: 0 })).status()).toBe(404);
  expect((await post(publisher, `/app/marketplace/${offerId}`, { message: "let me in", acceptTerms: "on" })).status()).toBe(404);
  expect((await publisher.request.get(offerPath, { maxRedirects: 0 })).status()).toBe(404);

  await a.goto(offerPath);
  await expect(a.getByRole("heading", { name: "Private tasting boxes" })).toBeVisible();
  await expect(a.getByText("Draft", { exact: true })).toBeVisible();
});
