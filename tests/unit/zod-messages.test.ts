import { describe, expect, it } from "vitest";
import { z } from "zod";
import "~/lib/zod-messages";

describe("the fallback error map installed by ~/lib/zod-messages", () => {
  it("turns zod's own wording into a plain sentence where a schema has none", () => {
    const schema = z.object({ name: z.string(), tags: z.array(z.string()).max(1), kind: z.enum(["a", "b"]), site: z.url() });
    const result = schema.safeParse({ tags: ["x", "y"], kind: "c", site: "nope" });
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "Fill in this field",
      "Choose at most 1",
      "Choose one of the options",
      "Enter a full https:// address",
    ]);
  });
});
