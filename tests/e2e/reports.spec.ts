import { expect, test } from "@playwright/test";
import {
  expectFitsPhone,
  followToLandingPage,
  joinOffer,
  listApprovedOffer,
  PERSON_USER_AGENT,
  PHONE,
  staffPage,
  visitorContext,
  watchHydration,
} from "./helpers";

const LANDING = "https://shop.reports-e2e.example";

test("a click and a postback show up in both dashboards' charts and tables for the chosen range, hydrated without a mismatch", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  const merchantMismatches = watchHydration(page);
  const staffMismatches = watchHydration(staffView);
  const stamp = Date.now();
  const offerTitle = `Trail shoes ${stamp}`;
  const publisherName = `Run Reviews ${stamp}`;
  await listApprovedOffer(page, staffView, {
    merchantName: `Summit Outfitters ${stamp}`,
    offer: {
      title: offerTitle,
      description: "Shoes for rough trails.",
      landingUrl: `${LANDING}/shoes`,
      niche: "Food & Drink",
      ratePercent: "10",
    },
  });
  const publisherContext = await visitorContext(browser);
  const publisher = await publisherContext.newPage();
  const publisherMismatches = watchHydration(publisher);
  await joinOffer(publisher, staffView, page, { publisherName, offerTitle });

  await test.step("a visitor follows the publisher's link and the merchant's server reports the order", async () => {
    await publisher.goto("/app/partnerships");
    await publisher.getByRole("row").filter({ hasText: offerTitle }).getByRole("link").first().click();
    const link = await publisher.getByLabel("Tracking link").inputValue();
    const visitor = await browser.newPage({ userAgent: PERSON_USER_AGENT, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.77" } });
    const landed = await followToLandingPage(visitor, `${link}?sub1=spring-sale`);
    await visitor.close();
    const clickId = landed.searchParams.get("click_id")!;
    await page.goto("/app/integration");
    await page.getByRole("button", { name: "Create a token" }).click();
    const token = await page.getByLabel("Postback token").inputValue();
    const response = await page.request.get(`/postback?token=${token}&click_id=${clickId}&order_id=TS-${stamp}&amount=120.00&currency=USD`);
    expect(response.status()).toBe(201);
  });

  await test.step("the merchant's report for the last 7 days charts the click and the conversion", async () => {
    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("link", { name: "Last 7 days" }).click();
    // Screening lets the conversion into the reports a moment after the postback.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("Conversions · USD")).toBeVisible({ timeout: 1000 });
      await expect(page.getByText("1 · 100.00%")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    const chart = page.locator("figure svg.recharts-surface").first();
    await expect(chart).toBeVisible();
    await expect(chart.locator("path.recharts-line-curve")).toHaveCount(2);
    await page.getByRole("link", { name: "By offer" }).click();
    await expect(page.getByRole("row").filter({ hasText: offerTitle })).toContainText("$12.00");
    await expect(page.locator("figure svg .recharts-bar-rectangle")).toHaveCount(1);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csv = await (await download).createReadStream();
    const text = await new Promise<string>((resolve) => {
      let body = "";
      csv.on("data", (chunk: Buffer) => (body += chunk.toString()));
      csv.on("end", () => resolve(body));
    });
    expect(text).toContain(`${offerTitle} (`);
    expect(text).toContain(",USD,1,1,1,100.00,12.00,120.00,12.00");
  });

  await test.step("a custom range without the day shows no activity; a bad one says what is wrong", async () => {
    await page.getByLabel("From").fill("2024-01-01");
    await page.getByLabel("To").fill("2024-01-31");
    await page.getByRole("button", { name: "Show range" }).click();
    await expect(page.getByText("No clicks or conversions in this range.")).toBeVisible();
    await page.goto("/app/reports?preset=custom&from=2024-02-30&to=2024-03-01");
    await expect(page.getByRole("alert")).toHaveText("That date does not exist");
  });

  await test.step("the publisher sees its sub id; staff see the merchant's fee and take rate", async () => {
    await publisher.goto("/app/reports?preset=7d&by=sub");
    await expect(publisher.getByRole("row").filter({ hasText: "spring-sale" })).toContainText("$12.00");
    await expect(publisher.getByText("Network fee")).toHaveCount(0);
    await staffView.goto("/staff/reports?preset=7d&by=merchant");
    await expect(staffView.getByText("the network's books are kept in UTC days", { exact: false })).toBeVisible();
    await expect(staffView.getByRole("row").filter({ hasText: `Summit Outfitters ${stamp}` })).toBeVisible();
    await expect(staffView.locator("figure svg.recharts-surface").first()).toBeVisible();
  });

  await test.step("the report fits a phone", async () => {
    await page.setViewportSize(PHONE);
    await expectFitsPhone(page, "/app/reports?preset=7d&by=offer");
  });

  expect(merchantMismatches).toEqual([]);
  expect(publisherMismatches).toEqual([]);
  expect(staffMismatches).toEqual([]);
  await publisherContext.close();
});
