import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id recommendation: 19 MiB of memory, 2 iterations, 1 degree of parallelism. */
const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP_ARGON2ID);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so a missing account cannot be told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("switchboard-dummy-password");
  await verify(await dummyHash, password);
  return false;
}
