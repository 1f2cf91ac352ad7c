import { expect, test } from "@playwright/test";
import { startPostbackReceiver } from "../support/postback-receiver";
import { onboard, staffPage, visitorPage, watchHydration } from "./helpers";

/*
 * A publisher registers a postback address pointing at a tracker the test runs on 127.0.0.1 (the
 * e2e server allows loopback through PUBLISHER_POSTBACKS_ALLOW_LOOPBACK, see playwright.config.ts),
 * presses "Send test", and the tracker gets the call with the macros filled in.
 */
test("a publisher's test postback reaches its tracker with the macros filled, and the log shows it delivered", async ({ browser }) => {
  const receiver = await startPostbackReceiver();
  try {
    const staffView = await staffPage(browser);
    const page = await visitorPage(browser);
    const hydrationErrors = watchHydration(page);
    await onboard(page, staffView, "Publisher", `Trail Notes ${Date.now()}`);

    await page.getByRole("navigation").getByRole("link", { name: "Postbacks" }).click();
    await expect(page.getByRole("heading", { name: "Postbacks", level: 1 })).toBeVisible();
    await expect(page.getByText("No postback yet")).toBeVisible();
    await expect(page.getByText("{click_id}", { exact: true })).toBeVisible();

    await page.getByLabel("Address to call").fill("http://169.254.169.254/latest/meta-data?c={click_id}");
    await page.getByRole("button", { name: "Save postback" }).click();
    await expect(page.getByText("169.254.169.254 is a cloud metadata address")).toBeVisible();

    const template = `${receiver.url("/e2e")}?c={click_id}&p={payout}&cur={currency}&s1={sub1}&st={status}`;
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
      p: "12.50",
      cur: "USD",
      s1: "test-sub1",
      st: "approved",
    });

    const row = page.getByRole("row").filter({ hasText: "/e2e?c=TEST-CLICK-ID" });
    await expect(row.getByText("Delivered")).toBeVisible();
    await expect(row.getByRole("cell", { name: "Test", exact: true })).toBeVisible();
    await row.getByRole("link", { name: "Attempts" }).click();
    const attempts = page.locator("section").filter({ has: page.getByRole("heading", { name: "Attempts of one call" }) });
    await expect(attempts.getByRole("row").filter({ hasText: "HTTP 200" }).getByRole("cell").first()).toHaveText("1");
    expect(hydrationErrors).toEqual([]);

    // With a long address in the log, the page still fits a phone: the log scrolls in its own box.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/app/postbacks");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  } finally {
    await receiver.close();
  }
});
