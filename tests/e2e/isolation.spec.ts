import { expect, test, type Page } from "@playwright/test";
import { onboard, staffPage, uniqueEmail, visitorPage } from "./helpers";

async function post(page: Page, path: string, form: Record<string, string>) {
  const origin = new URL(page.url()).origin;
  return page.request.post(path, { form, headers: { origin }, maxRedirects: 0 });
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
  await staffView.goto("/staff/organizations");
  const orgId = (await staffView.getByRole("link").filter({ hasText: "Curious" }).first().getAttribute("href"))!.split("/").at(-1)!;
  const anonymous = await visitorPage(browser);
  await anonymous.goto("/");

  const pages = [
    "/staff",
    "/staff/organizations",
    `/staff/organizations/${orgId}`,
    "/staff/audit",
    "/staff/mailbox",
    "/staff/mailbox/1",
    "/staff/mailbox/1/html",
  ];
  for (const visitor of [user, anonymous]) {
    for (const path of pages) {
      const response = await visitor.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
    }
    const decision = await post(visitor, `/staff/organizations/${orgId}`, { decision: "approve" });
    expect(decision.status()).toBe(404);
  }
  await user.goto("/staff");
  await expect(user.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await staffView.goto(`/staff/organizations/${orgId}`);
  await expect(staffView.getByText("In review").first()).toBeVisible();
});

test("another merchant gets 404 for an offer's pages and actions, and a publisher for a private offer", async ({ browser }) => {
  const staffView = await staffPage(browser);
  const a = await visitorPage(browser);
  const aName = `Owner Shop ${Date.now()}`;
  await onboard(a, staffView, "Merchant", aName);
  await a.goto("/app/offers/new");
  await a.waitForLoadState("networkidle");
  await a.getByLabel("Title").fill("Private tasting boxes");
  await a.getByLabel("Description (Markdown)").fill("Monthly boxes of small-batch coffee, by invitation.");
  await a.getByLabel("Landing URL").fill("https://owner.example/boxes");
  await a.getByLabel("Food & Drink").check();
  await a.getByLabel("Event 1 rate (%)").fill("10");
  await a.getByLabel("Visibility").selectOption("private");
  await a.getByRole("button", { name: "Save draft" }).click();
  await expect(a.getByText("Draft saved.")).toBeVisible();
  const offerPath = new URL(a.url()).pathname;
  const offerId = offerPath.split("/").at(-1)!;

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
  expect((await post(b, "/app/applications", { intent: "decide", applicationId: offerId, decision: "approve" })).status()).toBe(404);
  expect((await post(b, "/app/partners", { intent: "status", partnershipId: offerId, action: "end" })).status()).toBe(404);

  const publisher = await visitorPage(browser);
  await onboard(publisher, staffView, "Publisher", `Snoop ${Date.now()}`);
  expect((await publisher.request.get(`/app/marketplace/${offerId}`, { maxRedirects: 0 })).status()).toBe(404);
  expect((await post(publisher, `/app/marketplace/${offerId}`, { message: "let me in", acceptTerms: "on" })).status()).toBe(404);
  expect((await publisher.request.get(offerPath, { maxRedirects: 0 })).status()).toBe(404);

  await a.reload();
  await expect(a.getByRole("heading", { name: "Private tasting boxes" })).toBeVisible();
  await expect(a.getByText("Draft", { exact: true })).toBeVisible();
});
