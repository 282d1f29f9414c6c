import { Result } from "effect";
import { type InvalidInput, businessDate, parseInput } from "@jxc/core";
import type { ChartOfAccounts } from "./chart.js";
import { type DerivationError, deriveWithDecimals } from "./derive-decimal.js";
import { deriveFixed } from "./derive-fixed.js";
import { type BusinessEvent, BusinessEventSchema, type Entity, EntitySchema } from "./event.js";
import { readBusinessEvent, readEntity, recordOfParsed } from "./event-read.js";
import type { TemplateSet } from "./template.js";
import type { Voucher } from "./voucher.js";

export { type DerivationError, lineAmounts } from "./derive-decimal.js";

/**
 * Derives the vouchers of one business event — pure: `(event, chart, templates, entity) →
 * vouchers`. The template is chosen by event type and the entity's qualification (taxpayer,
 * standard, export rebate); each template line is evaluated per event line, its account resolved
 * (by code, role or mapping), and lines with the same account, side and auxiliaries are summed.
 * Every voucher balances, or the derivation fails; an event with an empty template (a transfer
 * inside one entity) derives no voucher.
 *
 * The event and the entity are validated exactly as {@link BusinessEventSchema} and
 * {@link EntitySchema} say (a malformed one is an `InvalidInput` naming the field), by a
 * structural check that reads the decimals straight into scaled integers; the amounts are exact
 * integers of the money unit (分) until the voucher lines are built as decimals. Whatever that
 * integer path does not cover (a decimal beyond 15 digits or in exponent form, account
 * overrides, any failure) is derived in decimal.js throughout, with the same results.
 */
export const deriveVouchers = (
  input: unknown,
  chart: ChartOfAccounts,
  templates: TemplateSet,
  entityInput: unknown,
): Result.Result<Voucher[], DerivationError> => {
  const record = readBusinessEvent(input);
  const entity = record === undefined ? undefined : readEntity(entityInput);
  if (record !== undefined && entity !== undefined) {
    const fast = deriveFixed(record, chart, templates, entity);
    if (fast !== undefined) return Result.succeed(fast);
  }
  // a refusal (zod names the fields at fault), or the decimal.js path
  const parsedEvent = parseInput(BusinessEventSchema, input, "business event");
  if (Result.isFailure(parsedEvent)) return Result.fail(parsedEvent.failure);
  const parsedEntity = parseInput(EntitySchema, entityInput, "entity");
  if (Result.isFailure(parsedEntity)) return Result.fail(parsedEntity.failure);
  return deriveWithDecimals(parsedEvent.success, chart, templates, parsedEntity.success);
};

/** {@link deriveVouchers} over an already parsed event and entity (the hot path of bulk derivation). */
export const derive = (event: BusinessEvent, chart: ChartOfAccounts, templates: TemplateSet, entity: Entity): Result.Result<Voucher[], DerivationError> => {
  const fast = deriveFixed(recordOfParsed(event), chart, templates, entity);
  return fast !== undefined ? Result.succeed(fast) : deriveWithDecimals(event, chart, templates, entity);
};

/**
 * Voucher derivation bound to one chart, template set and entity (核算主体), for deriving event
 * after event: the entity is validated once, and business dates come from one `Intl` date format
 * of the entity's zone made here (the same dates as `businessDate` of `@jxc/core`). It holds no
 * mutable state.
 */
export interface VoucherDeriver {
  /** The entity, as parsed. */
  readonly entity: Entity;
  /** Derives the vouchers of one business event: the same result as {@link deriveVouchers} with this chart, set and entity. */
  derive(input: unknown): Result.Result<Voucher[], DerivationError>;
}

/**
 * Makes a {@link VoucherDeriver}, or the `InvalidInput` naming what is wrong with the entity.
 *
 * @example
 * ```ts
 * const deriver = voucherDeriver(chart, templates, { taxpayer: "general" });
 * if (Result.isSuccess(deriver)) for (const event of events) deriver.success.derive(event);
 * ```
 */
export const voucherDeriver = (chart: ChartOfAccounts, templates: TemplateSet, entityInput: unknown): Result.Result<VoucherDeriver, InvalidInput> => {
  let entity = readEntity(entityInput);
  if (entity === undefined) {
    const parsed = parseInput(EntitySchema, entityInput, "entity");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    entity = parsed.success;
  }
  const parsedEntity = entity;
  const dayFormat = dayFormatOf(parsedEntity.timeZone);
  return Result.succeed({
    entity: parsedEntity,
    derive: (input: unknown): Result.Result<Voucher[], DerivationError> => {
      const record = readBusinessEvent(input);
      if (record !== undefined) {
        const fast = deriveFixed(record, chart, templates, parsedEntity, dayOf(dayFormat, record.at, parsedEntity.timeZone));
        if (fast !== undefined) return Result.succeed(fast);
      }
      const parsedEvent = parseInput(BusinessEventSchema, input, "business event");
      if (Result.isFailure(parsedEvent)) return Result.fail(parsedEvent.failure);
      return deriveWithDecimals(parsedEvent.success, chart, templates, parsedEntity);
    },
  });
};

/** A US-English numeric date format of a zone (`MM/DD/YYYY`), or undefined for a zone `Intl` does not know. */
const dayFormatOf = (timeZone: string): Intl.DateTimeFormat | undefined => {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  } catch {
    return undefined;
  }
};

/** The business date of an instant through the zone's format; `businessDate` for what that format does not write as `MM/DD/YYYY`. */
const dayOf = (format: Intl.DateTimeFormat | undefined, at: string, timeZone: string): string => {
  if (format !== undefined) {
    const ms = Date.parse(at);
    if (ms === ms) {
      const text = format.format(ms);
      if (text.length === 10 && text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47 && text.charCodeAt(6) !== 48)
        return `${text.slice(6)}-${text.slice(0, 2)}-${text.slice(3, 5)}`;
    }
  }
  return businessDate(at, timeZone);
};
