import { expect, test } from "@playwright/test";

test("an unknown path renders the not-found page, and its scripts run under the CSP", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText("No route matches")).toHaveCount(0);
  await page.getByRole("link", { name: "Go to Switchboard" }).click();
  await expect(page).toHaveURL("/");
  // A 404 document logs its own status; anything else is a blocked script or a hydration failure.
  expect(errors.filter((e) => !/status of 404\b/.test(e))).toEqual([]);
});
