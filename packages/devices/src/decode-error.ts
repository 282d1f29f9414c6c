/**
 * The base of the tagged errors that decoders return by the million (a portal reading a pallet of
 * foreign tags, a scanner fed garbage): `Data.TaggedError` without the stack trace.
 *
 * Building an `Error` makes V8 capture the call stack, which costs microseconds — more than
 * decoding a valid EPC. A decode failure is an expected value, not a bug to locate, so its class
 * is built with `Error.stackTraceLimit` set to 0 while the `Error` constructor runs (as effect's
 * own `Schema` does for its parse errors). Everything else is `Data.TaggedError`'s: the `_tag`,
 * the fields, `message`, `name`, `toJSON`, `instanceof Error`, and yielding it in `Effect.gen`
 * fails the effect. Its `stack` is only its first line, `Tag: message`.
 *
 * Internal to `@jxc/devices`; pure, no module-level mutable state (the limit is restored before
 * the constructor returns, even when it throws).
 *
 * @module
 */
import { Data } from "effect";

/** Whether `Error.stackTraceLimit` may be set (not in a frozen, hardened realm). */
const stackTraceLimitWritable: boolean = (() => {
  const descriptor = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
  if (descriptor === undefined) return Object.isExtensible(Error);
  return "writable" in descriptor ? descriptor.writable === true : descriptor.set !== undefined;
})();

/** `Error` with the V8 stack-trace limit, which the standard library's typings leave out. */
const ErrorWithLimit = Error as ErrorConstructor & { stackTraceLimit?: number };

/**
 * `Data.TaggedError(tag)` whose instances capture no stack trace; used exactly like it:
 * `class InvalidEpcHex extends TaggedDecodeError("InvalidEpcHex")<{ … }> {}`.
 */
export const TaggedDecodeError: typeof Data.TaggedError = (tag) => {
  const Base = Data.TaggedError(tag) as unknown as new (args: unknown) => object;
  if (!stackTraceLimitWritable) return Base as never;
  class WithoutStack extends Base {
    constructor(args: unknown) {
      const limit = ErrorWithLimit.stackTraceLimit;
      ErrorWithLimit.stackTraceLimit = 0;
      try {
        super(args);
      } finally {
        ErrorWithLimit.stackTraceLimit = limit;
      }
    }
  }
  return WithoutStack as never;
};
