import { expect, test } from "@playwright/test";
import { approveOrganization, expectFitsPhone, onboard, PHONE, staffPage, visitorContext } from "./helpers";

test.use({ viewport: PHONE });

test("every page of merchants, publishers and staff fits a 390 px phone", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  await staffView.setViewportSize(PHONE);
  const stamp = Date.now();
  const merchantName = `Narrow Screens Outfitters ${stamp}`;
  const publisherName = `Pocket Reviews ${stamp}`;
  const offerTitle = `Folding kayaks for small flats ${stamp}`;

  await onboard(page, staffView, "Merchant", merchantName);
  await approveOrganization(staffView, merchantName);
  await page.goto("/app/offers/new");
  await page.getByLabel("Title").fill(offerTitle);
  await page.getByLabel("Description (Markdown)").fill("Kayaks that fold into a backpack, tested on the **Thames**.");
  await page.getByLabel("Landing URL").fill("https://narrow.example/kayaks");
  await page.getByLabel("Outdoors & Adventure").check();
  await page.getByLabel("Event 1 rate (%)").fill("7");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  const offerPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Submitted: the network team will review the offer.")).toBeVisible();
  const offerId = offerPath.split("/").pop()!;

  for (const path of [
    "/app",
    "/app/offers",
    "/app/offers/new",
    offerPath,
    "/app/applications",
    "/app/partners",
    "/app/conversions",
    "/app/integration",
    "/app/profile",
    "/app/team",
  ]) {
    await expectFitsPhone(page, path);
  }
  for (const path of [
    "/staff",
    "/staff/organizations",
    "/staff/offers",
    `/staff/offers/${offerId}`,
    "/staff/conversions",
    "/staff/niches",
    "/staff/fees",
    "/staff/fraud",
    "/staff/fraud/settings",
    "/staff/audit",
    "/staff/mailbox",
  ]) {
    await expectFitsPhone(staffView, path);
  }
  await staffView.goto(`/staff/offers/${offerId}`);
  await staffView.getByRole("button", { name: "Approve offer" }).click();
  await expect(staffView.getByText("the offer is now active")).toBeVisible();

  const publisherContext = await visitorContext(browser);
  const publisher = await publisherContext.newPage();
  await publisher.setViewportSize(PHONE);
  await onboard(publisher, staffView, "Publisher", publisherName);
  await approveOrganization(staffView, publisherName);
  await expect(async () => {
    await expectFitsPhone(publisher, `/app/marketplace?q=${encodeURIComponent(offerTitle)}`);
    await expect(publisher.getByRole("link", { name: offerTitle })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(publisher.getByRole("button", { name: "Search" })).toBeInViewport();
  for (const path of [
    "/app",
    "/app/marketplace",
    `/app/marketplace/${offerId}`,
    "/app/applications",
    "/app/partnerships",
    "/app/conversions",
    "/app/postbacks",
    "/app/profile",
  ]) {
    await expectFitsPhone(publisher, path);
  }
  await publisherContext.close();
});
