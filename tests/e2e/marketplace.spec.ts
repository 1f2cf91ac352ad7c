import { expect, test } from "@playwright/test";
import { approveOrganization, linkFromMailbox, onboard, staffPage, visitorContext, watchHydration } from "./helpers";

test("a merchant lists an offer, staff approves it, a publisher finds it by a misspelled niche, applies and is approved", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  const merchantMismatches = watchHydration(page);
  const stamp = Date.now();
  const merchantName = `Fjord Gear ${stamp}`;
  const publisherName = `Peak Reviews ${stamp}`;
  const offerTitle = `Expedition tents ${stamp}`;

  await onboard(page, staffView, "Merchant", merchantName);
  await approveOrganization(staffView, merchantName);

  await test.step("merchant creates and submits the offer", async () => {
    await page.goto("/app/offers");
    await page.getByRole("link", { name: "New offer" }).click();
    await page.getByLabel("Title").fill(offerTitle);
    await page.getByLabel("Description (Markdown)").fill("Four-season tents tested in **Svalbard**. Free returns within 60 days.");
    await page.getByLabel("Landing URL").fill("https://fjordgear.example/tents");
    await page.getByLabel("Outdoors & Adventure").check();
    await page.getByLabel("Event 1 rate (%)").fill("9.5");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved.")).toBeVisible();
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted: the network team will review the offer.")).toBeVisible();
  });

  await test.step("staff approves the offer", async () => {
    await staffView.goto("/staff/offers");
    await staffView.getByRole("link", { name: offerTitle }).click();
    await expect(staffView.getByText("sale: 9.5%")).toBeVisible();
    await staffView.getByRole("button", { name: "Approve offer" }).click();
    await expect(staffView.getByText("the offer is now active")).toBeVisible();
    await linkFromMailbox(staffView, "", `${offerTitle} is live on Switchboard`, "Open the offer");
  });

  const publisherContext = await visitorContext(browser);
  const publisher = await publisherContext.newPage();
  const publisherMismatches = watchHydration(publisher);
  await onboard(publisher, staffView, "Publisher", publisherName);
  await approveOrganization(staffView, publisherName);

  await test.step("publisher finds it by a misspelled niche word and filters by facet", async () => {
    await expect(async () => {
      await publisher.goto(`/app/marketplace?q=${encodeURIComponent("outdor")}`);
      await expect(publisher.getByRole("link", { name: offerTitle })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await publisher.getByRole("navigation", { name: "Payout type" }).getByRole("link", { name: /CPS/ }).click();
    await expect(publisher).toHaveURL(/payoutType=cps/);
    await expect(publisher.getByRole("link", { name: offerTitle })).toBeVisible();
    await expect(publisher.getByRole("navigation", { name: "Payout type" }).getByRole("link", { name: /✓ CPS/ })).toBeVisible();
    await publisher.getByRole("link", { name: offerTitle }).click();
    await expect(publisher.getByRole("heading", { name: offerTitle })).toBeVisible();
    await expect(publisher.getByText("Svalbard")).toBeVisible();
  });

  await test.step("publisher applies", async () => {
    await publisher.getByLabel("Message to the merchant").fill("We review four-season gear for 80k readers.");
    await publisher.getByRole("button", { name: "Apply" }).click();
    await expect(publisher.getByText("I accept the offer's terms and conditions")).toBeVisible();
    await expect(publisher.getByText("Accept the offer's terms to apply.")).toBeVisible();
    await publisher.getByLabel("I accept the offer's terms and conditions").check();
    await publisher.getByRole("button", { name: "Apply" }).click();
    await expect(publisher.getByText("Application sent.")).toBeVisible();
  });

  await test.step("merchant approves the application", async () => {
    await page.goto("/app/applications");
    await expect(page.getByText("We review four-season gear for 80k readers.")).toBeVisible();
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(page.getByText("Saved. The publisher was emailed.")).toBeVisible();
  });

  await test.step("publisher sees the partnership, and every step's email is in the mailbox", async () => {
    await publisher.goto("/app/partnerships");
    const row = publisher.getByRole("row").filter({ hasText: offerTitle });
    await expect(row).toContainText("Active");
    await expect(row).toContainText("sale: 9.5%");
    await linkFromMailbox(staffView, "", `${publisherName} applied to ${offerTitle}`, "Open applications");
    await linkFromMailbox(staffView, "", `You are approved for ${offerTitle}`, "Open your partnerships");
  });
  expect(merchantMismatches).toEqual([]);
  expect(publisherMismatches).toEqual([]);
  await publisherContext.close();
});
