/**
 * The seeded generator of the gradient-boosting code: row bagging and feature subsampling draw
 * from it, so the same seed gives the same trees. splitmix32 seeding, xoshiro128** output.
 * No module-level state: every call of {@link seededUniform} returns a fresh generator.
 *
 * @module
 */

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** A generator of uniform numbers in (0, 1), deterministic for a given integer `seed`. */
export const seededUniform = (seed: number): (() => number) => {
  let z = seed >>> 0;
  const splitmix = (): number => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
    return (t ^ (t >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return (r + 0.5) / 4294967296;
  };
};
