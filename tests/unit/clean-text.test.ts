import { describe, expect, it } from "vitest";
import { cleanText, clip } from "~/lib/clean-text";

describe("cleanText", () => {
  it("strips control characters but keeps tabs and line breaks, and mends lone surrogates", () => {
    expect(cleanText("a\u0000b\u0007c\td\r\ne")).toBe("abc\td\r\ne");
    expect(cleanText("x\uD800y")).toBe("x\uFFFDy");
    const clean = "plain text";
    expect(cleanText(clean)).toBe(clean);
  });
});

describe("clip", () => {
  it("keeps text that fits and cuts longer text with an ellipsis", () => {
    expect(clip("short", 5)).toBe("short");
    expect(clip("longer", 5)).toBe("longe…");
    expect(clip("", 3)).toBe("");
  });

  it("never leaves half of a surrogate pair", () => {
    expect(clip("ab😀cd", 3)).toBe("ab…");
    expect(clip("ab😀cd", 4)).toBe("ab😀…");
    expect(cleanText(clip("😀😀😀", 3))).toBe("😀…");
  });
});
