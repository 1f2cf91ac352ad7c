import type { z } from "zod";

/** A page's end as the client carries it: opaque text, so the position's shape can change. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position a cursor holds, or null when it is not one this API wrote. */
export function decodeCursor<T extends z.ZodType>(text: string, position: T): z.output<T> | null {
  try {
    const read = position.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return read.success ? read.data : null;
  } catch {
    return null;
  }
}
