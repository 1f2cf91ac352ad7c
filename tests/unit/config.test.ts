import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "~/config.server";

describe("configuration", () => {
  it("defaults to the embedded database on 127.0.0.1:3000", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 3000,
      DATA_DIR: "./data",
      APP_URL: "http://127.0.0.1:3000",
      MIGRATE_ON_BOOT: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://localhost/db" })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ RESEND_API_KEY: "sk_live" })).toThrow(/RESEND_API_KEY: must be a Resend API key/);
    expect(() => loadConfig({ RUN_WORKERS: "maybe" })).toThrow(/RUN_WORKERS/);
  });

  it("reads TRUST_PROXY as a number of proxy hops and bounds the request body", () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).MAX_BODY_BYTES).toBe(1_048_576);
    expect(() => loadConfig({ MAX_BODY_BYTES: "1mb" })).toThrow(/MAX_BODY_BYTES/);
  });

  it("treats empty variables as unset and strips a trailing slash from APP_URL", () => {
    const config = loadConfig({ DATABASE_URL: "", APP_URL: "https://net.example/" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.APP_URL).toBe("https://net.example");
  });
});
