/**
 * The one seeded generator of jxc: pure packages take randomness as an argument, and this is
 * where it comes from. xoshiro128** seeded through splitmix32 — small, fast, and the same stream
 * for the same seed on every machine. No module-level state: every call returns a fresh stream.
 *
 * @module
 */

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * A stream of unsigned 32-bit integers, deterministic for `seed` (any finite number, reduced
 * modulo 2³²; anything else counts as 0).
 */
export const seededUint32 = (seed: number): (() => number) => {
  let z = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
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
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
};

/** Uniform numbers in the open interval (0, 1), deterministic for `seed` (see {@link seededUint32}). */
export const seededUniform = (seed: number): (() => number) => {
  const next = seededUint32(seed);
  return () => (next() + 0.5) / 4294967296;
};
