import { Data } from "effect";

/** A template whose debits and credits cannot be equal for every amount (refused when the set is loaded). */
export class UnbalancedTemplate extends Data.TaggedError("UnbalancedTemplate")<{
  /** The template and its voucher group. */
  readonly template: string;
  readonly voucher: string;
  /** Debit minus credit, as a formula over the amounts (e.g. `tax`). */
  readonly difference: string;
  readonly message: string;
}> {}

/** No template, or more than one equally specific template, fits an event and an entity. */
export class TemplateSelection extends Data.TaggedError("TemplateSelection")<{
  readonly event: string;
  /** The candidate templates (none, or the ambiguous ones). */
  readonly candidates: ReadonlyArray<string>;
  readonly message: string;
}> {}

/** An account a template or document names that the chart does not have, or cannot be posted to. */
export class AccountError extends Data.TaggedError("AccountError")<{
  /** The code or role as given. */
  readonly account: string;
  /** Where it was named, e.g. `templates.3.lines.1.account`. */
  readonly path: string;
  readonly message: string;
}> {}

/** A document tried to override an account mapping that the template locks. */
export class LockedAccountMapping extends Data.TaggedError("LockedAccountMapping")<{
  readonly template: string;
  /** The key of the template line. */
  readonly line: string;
  readonly message: string;
}> {}

/** A derived voucher that does not balance (a bug in a template or a chart; never posted). */
export class UnbalancedVoucher extends Data.TaggedError("UnbalancedVoucher")<{
  readonly voucher: string;
  readonly debit: string;
  readonly credit: string;
  readonly message: string;
}> {}
