/**
 * A seeded generator of numbers in [0, 1) (a linear congruential one): the same seed gives the same
 * data and the same request order on every run, so two runs differ only in what is measured.
 */
export function seededRandom(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}
