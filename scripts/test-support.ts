import { Result } from "effect";
import { expect } from "vitest";
import type { Dec } from "@jxc/core";

/** The success of a Result, or a thrown Error describing the failure (example tests only). */
export const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(`expected success, got ${JSON.stringify(r.failure)}`);
  return r.success;
};

/** The failure of a Result, asserted to carry `tag`. */
export const failWith = <A, E extends { readonly _tag: string }, T extends E["_tag"]>(r: Result.Result<A, E>, tag: T): Extract<E, { _tag: T }> => {
  if (Result.isSuccess(r)) throw new Error(`expected ${tag}, got success`);
  expect(r.failure._tag).toBe(tag);
  return r.failure as Extract<E, { _tag: T }>;
};

/** Money as text with 2 places. */
export const m = (d: Dec | undefined) => d?.toFixed(2);

/** An instant on a day of January 2026, Shanghai time. */
export const at = (day: number, hour = 9) => `2026-01-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00+08:00`;

/** The failure of a Result, whatever it is (example tests only). */
export const err = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error("expected failure, got success");
  return r.failure;
};
