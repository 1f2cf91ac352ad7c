import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import rule from "../../eslint-rules/no-foreign-table-writes.js";

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const options = [{ owners: { offers: ["offers"], applications: ["applications"], moderation: ["niches"], search: ["searchOutbox"] } }];
const inModule = (area: string) => `/repo/app/modules/${area}/${area}.server.ts`;

tester.run("no-foreign-table-writes", rule, {
  valid: [
    {
      name: "a module writes its own table",
      filename: inModule("offers"),
      options,
      code: `import { offers } from "#db/schema"; await tx.update(offers).set({ autoApprove: true });`,
    },
    {
      name: "a module reads a foreign table",
      filename: inModule("applications"),
      options,
      code: `import { applications, offers } from "#db/schema"; await tx.select().from(offers); await tx.insert(applications).values({});`,
    },
    {
      name: "raw SQL may read a foreign table while writing its own",
      filename: inModule("moderation"),
      options,
      code: `import { niches, offers } from "#db/schema"; await tx.execute(sql\`update \${niches} set name = 'x' where exists (select 1 from \${offers})\`);`,
    },
    {
      name: "outside app/modules the rule does not apply",
      filename: "/repo/scripts/seed.ts",
      options,
      code: `import { offers } from "#db/schema"; await tx.insert(offers).values({});`,
    },
  ],
  invalid: [
    {
      name: "setAutoApprove: applications updates offers",
      filename: inModule("applications"),
      options,
      code: `import { offers } from "#db/schema"; await tx.update(offers).set({ autoApprove: true });`,
      errors: [{ messageId: "foreign", data: { area: "applications", table: "offers", owner: "offers" } }],
    },
    {
      name: "the niche rename: a raw SQL insert into the search outbox",
      filename: inModule("moderation"),
      options,
      code: `import { offerNiches, searchOutbox } from "#db/schema"; await tx.execute(sql\`insert into \${searchOutbox} (offer_id) select offer_id from \${offerNiches}\`);`,
      errors: [{ messageId: "foreign", data: { area: "moderation", table: "searchOutbox", owner: "search" } }],
    },
    {
      name: "a renamed import, a relative schema path and delete",
      filename: inModule("moderation"),
      options,
      code: `import { offers as o } from "../../../db/schema"; await db.delete(o);`,
      errors: [{ messageId: "foreign" }],
    },
    {
      name: "a namespace import and insert",
      filename: inModule("moderation"),
      options,
      code: `import * as schema from "#db/schema"; await db.insert(schema.applications).values({});`,
      errors: [{ messageId: "foreign" }],
    },
    {
      name: "a table missing from the map",
      filename: inModule("offers"),
      options,
      code: `import { ledger } from "#db/schema"; await db.insert(ledger).values({});`,
      errors: [{ messageId: "unowned", data: { table: "ledger" } }],
    },
  ],
});
