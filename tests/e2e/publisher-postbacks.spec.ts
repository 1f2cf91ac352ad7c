import { expect, test } from "@playwright/test";
import { startPostbackReceiver } from "../support/postback-receiver";
import { joinOffer, listApprovedOffer, recordTestConversion, staffPage, visitorPage, watchHydration } from "./helpers";

/*
 * A publisher registers a postback address pointing at a tracker the test runs on 127.0.0.1 (the
 * e2e server allows loopback through PUBLISHER_POSTBACKS_ALLOW_LOOPBACK, see playwright.config.ts),
 * presses "Send test", and the tracker gets the call with the macros filled in. Then a real
 * conversion (the merchant's test tool) goes through fraud screening and the job queue, and the
 * tracker gets its call with every macro filled from the conversion.
 */
test("a publisher's tracker gets test and real postbacks with the macros filled, and the log shows them delivered", async ({ browser }) => {
  const receiver = await startPostbackReceiver();
  try {
    const stamp = Date.now();
    const offerTitle = `Trail stoves ${stamp}`;
    const staffView = await staffPage(browser);
    const merchant = await visitorPage(browser);
    await listApprovedOffer(merchant, staffView, {
      merchantName: `Stove Works ${stamp}`,
      offer: {
        title: offerTitle,
        description: "Stoves that weigh less than a mug.",
        landingUrl: "https://shop.postback-e2e.example/stoves",
        niche: "Outdoors",
        ratePercent: "8",
      },
    });
    const page = await visitorPage(browser);
    const hydrationErrors = watchHydration(page);
    await joinOffer(page, staffView, merchant, { publisherName: `Trail Notes ${stamp}`, offerTitle });

    await page.getByRole("navigation").getByRole("link", { name: "Postbacks" }).click();
    await expect(page.getByRole("heading", { name: "Postbacks", level: 1 })).toBeVisible();
    await expect(page.getByText("No postback yet")).toBeVisible();
    await expect(page.getByText("{click_id}", { exact: true })).toBeVisible();

    await page.getByLabel("Address to call").fill("http://169.254.169.254/latest/meta-data?c={click_id}");
    await page.getByRole("button", { name: "Save postback" }).click();
    await expect(page.getByText("169.254.169.254 is a cloud metadata address")).toBeVisible();

    const template = `${receiver.url("/e2e")}?c={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&o={order_id}&e={event}&p={payout}&cur={currency}&st={status}&id={conversion_id}`;
    await page.getByLabel("Address to call").fill(template);
    await page.getByRole("button", { name: "Save postback" }).click();
    await expect(page.getByText("Postback saved.")).toBeVisible();
    await expect(page.getByText("169.254.169.254 is a cloud metadata address")).toBeHidden();
    await expect(page.getByLabel("Address to call")).toHaveValue("");
    await expect(page.getByText(template, { exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Send a test to the address for All offers" }).click();
    await expect(page.getByText("Test delivered: your server answered HTTP 200.")).toBeVisible();
    expect(receiver.calls).toHaveLength(1);
    expect(Object.fromEntries(receiver.calls[0]!.query)).toEqual({
      c: "TEST-CLICK-ID",
      s1: "test-sub1",
      s2: "test-sub2",
      s3: "test-sub3",
      s4: "test-sub4",
      s5: "test-sub5",
      o: "TEST-ORDER-1",
      e: "sale",
      p: "12.50",
      cur: "USD",
      st: "approved",
      id: "00000000-0000-0000-0000-000000000000",
    });

    const row = page.getByRole("row").filter({ hasText: "/e2e?c=TEST-CLICK-ID" });
    await expect(row.getByText("Delivered")).toBeVisible();
    await expect(row.getByRole("cell", { name: "Test", exact: true })).toBeVisible();
    await row.getByRole("link", { name: "Attempts" }).click();
    const attempts = page.locator("section").filter({ has: page.getByRole("heading", { name: "Attempts of one call" }) });
    await expect(attempts.getByRole("row").filter({ hasText: "HTTP 200" }).getByRole("cell").first()).toHaveText("1");

    await test.step("a real conversion is called in once fraud screening has seen it", async () => {
      const conversionId = await recordTestConversion(merchant, `STOVE-${stamp}`, "320.00");
      await expect.poll(() => receiver.calls.length, { timeout: 30_000 }).toBe(2);
      const { c, ...rest } = Object.fromEntries(receiver.calls[1]!.query);
      expect(c).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(rest).toEqual({
        s1: "test",
        s2: "",
        s3: "",
        s4: "",
        s5: "",
        o: `STOVE-${stamp}`,
        e: "sale",
        p: "25.60",
        cur: "USD",
        st: "pending",
        id: conversionId,
      });
      await page.goto("/app/postbacks");
      const real = page.getByRole("row").filter({ hasText: `o=STOVE-${stamp}` });
      await expect(real.getByText("Conversion created")).toBeVisible();
      await expect(real.getByText("Delivered")).toBeVisible();
    });
    expect(hydrationErrors).toEqual([]);

    // With a long address in the log, the page still fits a phone: the log scrolls in its own box.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/app/postbacks");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  } finally {
    await receiver.close();
  }
});
