/**
 * Tagged errors without a stack trace, for failures that are expected values on a hot path (a
 * decoder fed garbage, a sale refused for lack of rights): `Data.TaggedError` whose instances
 * are built without running the `Error` constructor, so V8 captures no call stack (which costs
 * microseconds, more than the work that failed).
 *
 * Nothing global is touched — not even temporarily (`Error.stackTraceLimit` is left alone): the
 * instance is made from the class's prototype and given exactly what the constructors of
 * `Data.TaggedError` would give it: `message` (and `cause`) as non-enumerable own properties,
 * the fields, the `_tag`, and the plain arguments `toJSON` reads. So `instanceof Error`, `name`,
 * `toJSON`, `_tag` and yielding it in `Effect.gen` (it fails the effect) behave as with
 * `Data.TaggedError`; its `stack` is only its first line, `Tag: message`.
 *
 * Pure: no module-level mutable state.
 *
 * @module
 */
import { Data } from "effect";

/** The key under which `Data.Error` keeps its constructor's arguments (read by its `toJSON`). */
const PLAIN_ARGS: unique symbol = Symbol.for("effect/Data/Error/plainArgs") as never;

const hidden = (value: unknown): PropertyDescriptor => ({ value, writable: true, enumerable: false, configurable: true });

type Instance = Record<PropertyKey, unknown> & { readonly [PLAIN_ARGS]?: Record<string, unknown> };

/**
 * `Data.TaggedError(tag)` whose instances capture no stack trace; used exactly like it:
 * `class InsufficientRights extends TaggedCheapError("InsufficientRights")<{ … }> {}`.
 *
 * An instance is a plain object of the class's prototype with the fields, the `_tag` and the
 * arguments (under effect's own key, which `toJSON` reads); `message` and `stack` are read from
 * the arguments by accessors of the prototype (assigning either makes it an own property), so
 * building one is a few stores into an object of a stable shape.
 */
export const TaggedCheapError: typeof Data.TaggedError = (tag) => {
  const Base = Data.TaggedError(tag) as unknown as new (args: unknown) => object;
  // A constructor function (not a class) may return the object it built without calling the
  // `Error` constructor; subclasses' `super(args)` then take that object as `this`.
  function WithoutStack(this: unknown, args?: Record<string, unknown>): object {
    const self = Object.create(new.target === undefined ? WithoutStack.prototype : new.target.prototype) as Instance;
    if (args) {
      (self as Record<PropertyKey, unknown>)[PLAIN_ARGS] = args;
      for (const key in args) {
        if (key === "message" || key === "cause" || !Object.prototype.hasOwnProperty.call(args, key)) continue;
        if (key === "__proto__") Object.defineProperty(self, key, { value: args[key], writable: true, enumerable: true, configurable: true });
        else self[key] = args[key];
      }
      if (args["cause"] !== undefined) Object.defineProperty(self, "cause", hidden(args["cause"]));
    }
    self["_tag"] = tag;
    return self;
  }
  const messageOf = (self: Instance): string => {
    const m = self[PLAIN_ARGS]?.["message"];
    return typeof m === "string" ? m : "";
  };
  WithoutStack.prototype = Object.create(Base.prototype, {
    constructor: hidden(WithoutStack),
    message: {
      get(this: Instance) {
        return messageOf(this);
      },
      set(this: Instance, value: unknown) {
        Object.defineProperty(this, "message", hidden(value));
      },
      enumerable: false,
      configurable: true,
    },
    stack: {
      get(this: Instance) {
        const message = (this as { message?: unknown }).message;
        return message === "" || message === undefined ? tag : `${tag}: ${String(message)}`;
      },
      set(this: Instance, value: unknown) {
        Object.defineProperty(this, "stack", hidden(value));
      },
      enumerable: false,
      configurable: true,
    },
  });
  Object.setPrototypeOf(WithoutStack, Base);
  return WithoutStack as never;
};
