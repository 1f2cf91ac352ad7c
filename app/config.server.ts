import { z } from "zod";

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** `true` is one proxy in front of the app; a number is how many proxies each append a hop. */
const proxyHops = z
  .string()
  .regex(/^(true|false|\d{1,2})$/, "true, false or the number of proxies in front of the app")
  .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v)));

const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    APP_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATA_DIR: z.string().min(1).default("./data"),
    MIGRATE_ON_BOOT: flag.default(true),
    RUN_WORKERS: flag.default(true),
    TRUST_PROXY: proxyHops.default(0),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(1_048_576),
    MEILISEARCH_URL: z.url({ protocol: /^https?$/ }).optional(),
    MEILISEARCH_KEY: z.string().min(1).optional(),
    MEILISEARCH_INDEX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only")
      .default("offers"),
    RESEND_API_KEY: z.string().startsWith("re_", "must be a Resend API key (re_…)").optional(),
    EMAIL_FROM: z.string().min(3).default("Switchboard <no-reply@switchboard.localhost>"),
    /** `id:secret,…` (secret base64, 32 bytes or more); the first signs, all verify. Generated into DATA_DIR when unset. */
    CLICK_SIGNING_KEYS: z.string().min(1).optional(),
    /** The key of the HMAC that stands in for client addresses (base64, 32 bytes or more). */
    IP_HMAC_KEY: z.string().min(1).optional(),
    /** An mmdb IP-to-country file; the one shipped with @ip-location-db/geo-whois-asn-country-mmdb by default. */
    GEOIP_DB: z.string().min(1).optional(),
    CLICK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /**
     * Lets publisher postbacks call loopback addresses (127.0.0.0/8, ::1): for tests and local
     * development only. Private, link-local and metadata addresses stay refused whatever it says.
     */
    PUBLISHER_POSTBACKS_ALLOW_LOOPBACK: flag.default(false),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .transform((c) => ({ ...c, APP_URL: (c.APP_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, "") }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Served over https: cookies get Secure and responses get HSTS. */
export function servesHttps(config: Pick<Config, "APP_URL">): boolean {
  return config.APP_URL.startsWith("https:");
}

/** Reads the environment once; a bad value throws a message that names the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
