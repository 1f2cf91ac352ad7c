import { expect, test, type Page } from "@playwright/test";
import {
  followToLandingPage,
  joinOffer,
  listApprovedOffer,
  PERSON_USER_AGENT,
  recordTestConversion,
  staffPage,
  visitorContext,
  watchHydration,
} from "./helpers";

const LANDING = "https://shop.tracking-e2e.example";

/** The three amounts as a conversion's page shows them (the cost without its explanation). */
async function breakdown(page: Page) {
  const read = async (term: string) =>
    (
      await page
        .getByRole("term")
        .filter({ hasText: new RegExp(`^${term}$`) })
        .first()
        .locator("xpath=following-sibling::dd[1]")
        .innerText()
    ).trim();
  return {
    sale: await read("Sale amount"),
    commission: await read("Publisher commission"),
    fee: await read("Network fee"),
    cost: (await read("Merchant cost")).split(" (")[0],
  };
}

test("a publisher's link brings a click, a postback converts it, both sides see the same amounts, and the test tool converts", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  const merchantMismatches = watchHydration(page);
  const stamp = Date.now();
  const merchantName = `Harbor Coffee ${stamp}`;
  const publisherName = `Brew Notes ${stamp}`;
  const offerTitle = `Single-origin beans ${stamp}`;

  await listApprovedOffer(page, staffView, {
    merchantName,
    offer: {
      title: offerTitle,
      description: "Beans roasted to order, shipped in two days.",
      landingUrl: `${LANDING}/beans`,
      niche: "Food & Drink",
      ratePercent: "10",
    },
  });

  const publisherContext = await visitorContext(browser);
  await publisherContext.grantPermissions(["clipboard-read", "clipboard-write"]);
  const publisher = await publisherContext.newPage();
  const publisherMismatches = watchHydration(publisher);
  await joinOffer(publisher, staffView, page, { publisherName, offerTitle });

  let clickId = "";
  await test.step("publisher copies its link and a visitor's browser follows it to the landing page", async () => {
    await publisher.goto("/app/partnerships");
    await publisher.getByRole("row").filter({ hasText: offerTitle }).getByRole("link").first().click();
    await expect(publisher.getByLabel("Tracking link")).toHaveValue(/\/c\/[A-Za-z0-9_-]{16}$/);
    await publisher.getByRole("button", { name: "Copy" }).click();
    await expect(publisher.getByRole("button", { name: "Copied" })).toBeVisible();
    const link = await publisher.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await publisher.getByLabel("Tracking link").inputValue());

    // Headless Chromium names itself HeadlessChrome, which isbot rightly calls a bot: the visitor is a person.
    const visitor = await browser.newPage({ userAgent: PERSON_USER_AGENT, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.50" } });
    const landed = await followToLandingPage(visitor, `${link}?sub1=newsletter`);
    await visitor.close();
    expect(landed.origin + landed.pathname).toBe(`${LANDING}/beans`);
    clickId = landed.searchParams.get("click_id") ?? "";
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{52}$/);
  });

  let conversion: { id: string; commission: string; fee: string; merchant_cost: string } | undefined;
  await test.step("the merchant's server sends a postback with its token", async () => {
    await page.goto("/app/integration");
    await page.getByRole("button", { name: "Create a token" }).click();
    const token = await page.getByLabel("Postback token").inputValue();
    expect(token).toMatch(/^sbp_/);
    const orderId = `HC-${stamp}`;
    const response = await page.request.get(`/postback?token=${token}&click_id=${clickId}&order_id=${orderId}&amount=49.90&currency=USD`);
    expect(response.status()).toBe(201);
    conversion = (await response.json()).conversion;
    expect(conversion).toMatchObject({ status: "pending", amount: "49.90", commission: "4.99" });
  });

  await test.step("publisher and merchant see the same breakdown", async () => {
    const expected = {
      sale: "$49.90",
      commission: `$${conversion!.commission}`,
      fee: `$${conversion!.fee}`,
      cost: `$${conversion!.merchant_cost}`,
    };
    await publisher.goto(`/app/conversions/${conversion!.id}`);
    expect(await breakdown(publisher)).toEqual(expected);
    await publisher.goto("/app/conversions");
    await expect(publisher.getByRole("row").filter({ hasText: `HC-${stamp}` })).toContainText("newsletter");
    await page.goto(`/app/conversions/${conversion!.id}`);
    expect(await breakdown(page)).toEqual(expected);
  });

  await test.step("the merchant's test tool converts a test order", async () => {
    await recordTestConversion(page, `TEST-${stamp}`, "20.00");
    expect((await breakdown(page)).commission).toBe("$2.00");
  });

  expect(merchantMismatches).toEqual([]);
  expect(publisherMismatches).toEqual([]);
  await publisherContext.close();
});
