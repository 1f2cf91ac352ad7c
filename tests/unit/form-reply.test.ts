import { describe, expect, test } from "vitest";
import { z } from "zod";
import { handleForm } from "~/lib/forms.server";
import { offerFormSchema } from "~/modules/offers/schemas";
import { publisherProfileSchema } from "~/modules/orgs/schemas";

/** What a rejected form sends back to refill the page, as the page reads it. */
async function rejected(schema: Parameters<typeof handleForm>[1], fields: [string, string][]) {
  const result = await handleForm(new URLSearchParams(fields) as unknown as FormData, schema, async () => null);
  if (result.ok) throw new Error("the form was accepted");
  return result.response.data as { initialValue: Record<string, unknown> };
}

describe("a rejected form's values come back in the form's shape", () => {
  test("a list sent as one plain value is a list of it; as an object, an empty list", async () => {
    const reply = await rejected(publisherProfileSchema, [
      ["websites", "not a url"],
      ["socialChannels.platform", "x"],
      ["description", "short"],
    ]);
    expect(reply.initialValue).toMatchObject({ websites: ["not a url"], socialChannels: [], description: "short" });
  });

  test("lists inside lists are shaped too, and text fields are left as sent", async () => {
    const reply = await rejected(offerFormSchema, [
      ["title", "a\tb"],
      ["terms[0].tiers", "1"],
    ]);
    expect(reply.initialValue).toMatchObject({ title: "a\tb", terms: [{ tiers: ["1"] }] });
  });

  test("only the submitted form's fields come back, with the intent naming that form", async () => {
    const reply = await rejected(z.object({ name: z.string().min(5) }), [
      ["intent", "rename"],
      ["name", "x"],
      ["websites", "from another form"],
    ]);
    expect(reply.initialValue).toEqual({ name: "x", intent: "rename" });
  });

  test("a list intent that is not JSON is a 400, not a failure", async () => {
    const sent = handleForm(
      new URLSearchParams([["__intent__", "{not json"]]) as unknown as FormData,
      publisherProfileSchema,
      async () => null,
    );
    await expect(sent).rejects.toMatchObject({ status: 400 });
  });
});
