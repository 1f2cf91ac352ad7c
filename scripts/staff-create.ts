import { z } from "zod";
import { createStaffUser } from "~/modules/auth/staff.server";
import { emailField, nameField, newPasswordField } from "~/modules/auth/schemas";
import { parseOptions, runTask, UsageError } from "./cli";

const usage = "Usage: npm run staff:create -- --email you@example.com --password 'a long passphrase' [--name 'Your Name']";

await runTask(async (db) => {
  let raw;
  try {
    raw = parseOptions({ email: { type: "string" }, password: { type: "string" }, name: { type: "string" } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const parsed = z.object({ email: emailField, password: newPasswordField, name: nameField }).safeParse({ name: "Network staff", ...raw });
  if (!parsed.success)
    throw new UsageError(`${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n")}\n${usage}`);
  const user = await createStaffUser(db, parsed.data);
  console.log(`Staff user ready: ${user.email}`);
});
