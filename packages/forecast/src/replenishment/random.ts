/**
 * The seeded generator of replenishment simulation (lead-time demand by Monte Carlo): the same
 * seed gives the same draws. mulberry32; no module-level state.
 *
 * @module
 */

/** A generator of uniform numbers in [0, 1). */
export type UniformGenerator = () => number;

/** A uniform generator deterministic for an integer `seed` (mulberry32); every call returns a fresh one. */
export const seededGenerator = (seed: number): UniformGenerator => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
