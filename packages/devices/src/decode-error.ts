/**
 * The base of the tagged errors that decoders return by the million (a portal reading a pallet of
 * foreign tags, a scanner fed garbage): `Data.TaggedError` without the stack trace — `@jxc/core`'s
 * `TaggedCheapError`, which builds the instance without running the `Error` constructor and
 * touches no global (see its documentation). Its `stack` is only its first line, `Tag: message`.
 *
 * Internal to `@jxc/devices`.
 *
 * @module
 */
import { TaggedCheapError } from "@jxc/core";

/**
 * `Data.TaggedError(tag)` whose instances capture no stack trace; used exactly like it:
 * `class InvalidEpcHex extends TaggedDecodeError("InvalidEpcHex")<{ … }> {}`.
 */
export const TaggedDecodeError = TaggedCheapError;
