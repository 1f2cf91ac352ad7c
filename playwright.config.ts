import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".cache/playwright.json" }]],
  use: {
    baseURL,
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Headless Chromium as root, on a machine without outside network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "npx tsx server/index.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: "ignore",
    stderr: "pipe",
    // Each test visitor sends its own X-Forwarded-For (see tests/e2e/helpers.ts); publisher postbacks
    // may call the trackers the tests run on 127.0.0.1.
    env: {
      HOST: "127.0.0.1",
      PORT: String(PORT),
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      TRUST_PROXY: "true",
      PUBLISHER_POSTBACKS_ALLOW_LOOPBACK: "true",
    },
  },
});
