import { z } from "zod";
import type { Database } from "#db/client";
import { fraudSettings } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";

/** The fraud screen's thresholds while staff have not set them. */
export const FRAUD_SETTINGS_DEFAULTS = {
  minClickSeconds: 10,
  maxClicksPerIpHour: 20,
  selfTrafficDays: 30,
  burstConversions: 5,
  burstMinutes: 60,
};
export type FraudSettings = typeof FRAUD_SETTINGS_DEFAULTS;

const whole = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} is at least ${min}`)
    .max(max, `${label} is at most ${max}`);

/** The staff form: every threshold, each within bounds that keep the screen meaningful and its queries bounded. */
export const fraudSettingsSchema = z.object({
  minClickSeconds: whole("The shortest click-to-conversion time", 1, 3600),
  maxClicksPerIpHour: whole("The clicks allowed per address and link in an hour", 1, 10_000),
  selfTrafficDays: whole("The log-in window", 1, 365),
  burstConversions: whole("The conversions allowed from one address", 1, 1000),
  burstMinutes: whole("The burst window", 1, 1440),
}) satisfies z.ZodType<FraudSettings>;

/** The thresholds the screen uses now: the staff's row, else the defaults. */
export async function currentFraudSettings(db: Database): Promise<FraudSettings> {
  const [row] = await db.select().from(fraudSettings);
  return row ? pick(row) : FRAUD_SETTINGS_DEFAULTS;
}

function pick(row: FraudSettings): FraudSettings {
  return {
    minClickSeconds: row.minClickSeconds,
    maxClicksPerIpHour: row.maxClicksPerIpHour,
    selfTrafficDays: row.selfTrafficDays,
    burstConversions: row.burstConversions,
    burstMinutes: row.burstMinutes,
  };
}

/** The settings page: the thresholds, the defaults beside them, and when staff last changed them. */
export async function getFraudSettings(db: Database, _staff: StaffActor) {
  const [row] = await db.select().from(fraudSettings);
  return { settings: row ? pick(row) : FRAUD_SETTINGS_DEFAULTS, defaults: FRAUD_SETTINGS_DEFAULTS, updatedAt: row?.updatedAt ?? null };
}

/** Staff set the thresholds; the next screening pass uses them. Audited with before and after. */
export async function updateFraudSettings(db: Database, staff: StaffActor, input: FraudSettings) {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(fraudSettings).for("update");
    await tx
      .insert(fraudSettings)
      .values({ id: true, ...input, updatedAt: new Date() })
      .onConflictDoUpdate({ target: fraudSettings.id, set: { ...input, updatedAt: new Date() } });
    await writeAudit(tx, staff, {
      action: "fraud.settings_set",
      targetType: "fraud_settings",
      targetId: "network",
      before: before ? pick(before) : { ...FRAUD_SETTINGS_DEFAULTS, defaults: true },
      after: input,
    });
  });
}
