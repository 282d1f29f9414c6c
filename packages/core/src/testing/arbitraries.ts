import fc from "fast-check";
import type { StockDocumentInput } from "../document.js";
import type { ItemInput, ValuationMethod } from "../item.js";
import type { LedgerConfigInput } from "../ledger.js";
import type { LedgerSettingsInput } from "../settings.js";

/** A ledger configuration and documents in arrival order, every one of which posts. */
export interface Scenario {
  readonly config: LedgerConfigInput;
  /** In arrival order; some are backdated (dated before documents that arrived earlier). */
  readonly documents: ReadonlyArray<StockDocumentInput>;
}

/** Options of {@link scenarioArb}. */
export interface ScenarioOptions {
  /** Valuation method of every item; drawn per item when omitted (LIFO excluded). */
  readonly method?: ValuationMethod;
  readonly settings?: Omit<LedgerSettingsInput, "method">;
  /** Most documents in a scenario (default 30). */
  readonly maxDocuments?: number;
  /** Share of documents dated before what arrived earlier, 0–1 (default 0.3). */
  readonly backdatedShare?: number;
}

/** Methods drawn when a scenario does not fix one (LIFO is opt-in only, and excluded). */
export const generalMethods: ReadonlyArray<ValuationMethod> = ["fifo", "moving-average", "monthly-weighted-average", "standard"];

/** An amount of money with up to 2 decimals, as a wire string (0.01–999.99). */
export const moneyArb = (): fc.Arbitrary<string> => fc.integer({ min: 1, max: 99_999 }).map((cents) => (cents / 100).toFixed(2));

/** A quantity with up to one decimal, as a wire string (0.5–50). */
export const qtyArb = (): fc.Arbitrary<string> => fc.integer({ min: 1, max: 100 }).map((halves) => (halves / 2).toString());

/** An item with a base unit, a 箱 conversion and optionally a standard cost. */
export const itemArb = (id: string, method?: ValuationMethod): fc.Arbitrary<ItemInput> =>
  fc
    .record({
      method: method ? fc.constant(method) : fc.constantFrom(...generalMethods),
      perBox: fc.integer({ min: 2, max: 24 }),
      standardCost: moneyArb(),
    })
    .map(({ method, perBox, standardCost }) => ({
      id,
      name: `item ${id}`,
      baseUnit: "件",
      conversions: [{ unit: "箱", factor: String(perBox) }],
      method,
      standardCost,
    }));

/** A lot code with a production date and a shelf life. */
export const lotArb = (): fc.Arbitrary<{ lot: string; productionDate: string; expiryDate: string }> =>
  fc.record({ n: fc.integer({ min: 1, max: 999 }), day: fc.integer({ min: 0, max: 300 }), life: fc.integer({ min: 1, max: 400 }) }).map(({ n, day, life }) => {
    const produced = new Date(Date.UTC(2025, 11, 1) + day * 86_400_000);
    return {
      lot: `L${n}`,
      productionDate: produced.toISOString().slice(0, 10),
      expiryDate: new Date(produced.getTime() + life * 86_400_000).toISOString().slice(0, 10),
    };
  });

type StepKind = "receipt" | "issue" | "transfer" | "sales-return" | "purchase-return" | "adjustment-in" | "adjustment-out" | "landed-cost";

interface Step {
  readonly kind: StepKind;
  readonly item: number;
  readonly warehouse: number;
  readonly qty: string;
  readonly unitCost: string;
  readonly hour: number;
  readonly backdated: boolean;
  readonly pick: number;
}

const ITEMS = ["A", "B", "C"];
const WAREHOUSES = ["W1", "W2"];
const START = Date.parse("2026-01-01T00:00:00+08:00");

const stepArb = (backdatedShare: number): fc.Arbitrary<Step> =>
  fc.record({
    kind: fc.constantFrom<StepKind>("receipt", "receipt", "receipt", "issue", "issue", "issue", "transfer", "sales-return", "purchase-return", "adjustment-in", "adjustment-out", "landed-cost"),
    item: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: ITEMS.length - 1 }) }),
    warehouse: fc.integer({ min: 0, max: WAREHOUSES.length - 1 }),
    qty: qtyArb(),
    unitCost: moneyArb(),
    hour: fc.integer({ min: 1, max: 24 * 80 }),
    backdated:
      backdatedShare <= 0 ? fc.constant(false) : backdatedShare >= 1 ? fc.constant(true) : fc.oneof(
      { weight: Math.round(backdatedShare * 100), arbitrary: fc.constant(true) },
      { weight: Math.round((1 - backdatedShare) * 100), arbitrary: fc.constant(false) },
    ),
    pick: fc.nat(),
  });

/** Quantity timeline of one physical place: deltas at instants, used to keep every generated document postable. */
class Timeline {
  private readonly events: { at: number; delta: number }[] = [];
  /** The most that can leave at `at` without any balance from then on going negative. */
  available(at: number): number {
    let balance = 0;
    let min = Number.POSITIVE_INFINITY;
    let reached = false;
    for (const e of this.events) {
      if (!reached && e.at > at) {
        reached = true;
        min = balance;
      }
      balance += e.delta;
      if (reached) min = Math.min(min, balance);
    }
    return Math.max(0, Math.min(min, balance));
  }
  add(at: number, delta: number): void {
    const i = this.events.findIndex((e) => e.at > at);
    this.events.splice(i === -1 ? this.events.length : i, 0, { at, delta });
  }
}

const iso = (ms: number): string => {
  const local = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
};

/**
 * Valid document sequences for property tests: receipts, sales outbound, transfers, sales and
 * purchase returns referencing earlier lines, adjustments and landed costs, over three items and
 * two warehouses across about three months, with a share of backdated documents; no two
 * documents share a business time. Quantities are
 * drawn so that every document posts under the `reject` policy, in arrival order and in
 * business-time order alike.
 */
export const scenarioArb = (options: ScenarioOptions = {}): fc.Arbitrary<Scenario> => {
  const maxDocuments = options.maxDocuments ?? 30;
  return fc
    .record({
      items: fc.tuple(...ITEMS.map((id) => itemArb(id, options.method))),
      steps: fc.array(stepArb(options.backdatedShare ?? 0.3), { minLength: 1, maxLength: maxDocuments, size: "max" }),
    })
    .map(({ items, steps }) => {
      const timelines = new Map<string, Timeline>();
      const timeline = (item: string, wh: string) => {
        const key = `${item}@${wh}`;
        let t = timelines.get(key);
        if (!t) timelines.set(key, (t = new Timeline()));
        return t;
      };
      const documents: StockDocumentInput[] = [];
      const issues: { id: string; item: string; warehouse: string; at: number; open: number }[] = [];
      const receipts: { id: string; item: string; warehouse: string; at: number; open: number }[] = [];
      let latest = START;
      const used = new Set<number>();
      steps.forEach((step, i) => {
        const id = `D${i + 1}`;
        const item = ITEMS[step.item]!;
        const warehouse = WAREHOUSES[step.warehouse]!;
        const proposed = START + step.hour * 3_600_000 + i * 1000;
        let at = step.backdated ? Math.min(proposed, latest) - 1000 * (i + 1) : Math.max(proposed, latest + 60_000 + i);
        while (used.has(at)) at -= 1000; // distinct business times: no order depends on arrival
        used.add(at);
        const head = { id, businessId: `B${i + 1}`, at: iso(at) };
        const qty = Number(step.qty);
        const place = timeline(item, warehouse);
        switch (step.kind) {
          case "receipt":
          case "adjustment-in": {
            place.add(at, qty);
            if (step.kind === "receipt") {
              receipts.push({ id, item, warehouse, at, open: qty });
              documents.push({ ...head, type: "purchase-receipt", lines: [{ item, warehouse, qty: step.qty, unitCost: step.unitCost }] });
            } else documents.push({ ...head, type: "adjustment", lines: [{ item, warehouse, qty: step.qty, ...(step.pick % 2 ? { unitCost: step.unitCost } : {}) }] });
            break;
          }
          case "issue":
          case "adjustment-out":
          case "transfer": {
            const take = Math.min(qty, place.available(at));
            if (take <= 0) return;
            place.add(at, -take);
            if (step.kind === "issue") {
              issues.push({ id, item, warehouse, at, open: take });
              documents.push({ ...head, type: "sales-outbound", lines: [{ item, warehouse, qty: String(take) }] });
            } else if (step.kind === "adjustment-out") documents.push({ ...head, type: "adjustment", lines: [{ item, warehouse, qty: String(-take) }] });
            else {
              const to = WAREHOUSES[(step.warehouse + 1) % WAREHOUSES.length]!;
              timeline(item, to).add(at, take);
              documents.push({ ...head, type: "transfer", lines: [{ item, qty: String(take), from: { warehouse }, to: { warehouse: to } }] });
            }
            break;
          }
          case "sales-return": {
            const candidates = issues.filter((x) => x.open > 0 && x.at <= at);
            const original = candidates[step.pick % Math.max(1, candidates.length)];
            if (!original) return;
            const back = Math.min(qty, original.open);
            original.open -= back;
            timeline(original.item, original.warehouse).add(at, back);
            documents.push({ ...head, type: "sales-return", lines: [{ item: original.item, warehouse: original.warehouse, qty: String(back), ref: { document: original.id, line: 0 } }] });
            break;
          }
          case "purchase-return": {
            const candidates = receipts.filter((x) => x.open > 0 && x.at <= at);
            const original = candidates[step.pick % Math.max(1, candidates.length)];
            if (!original) return;
            const out = Math.min(qty, original.open, timeline(original.item, original.warehouse).available(at));
            if (out <= 0) return;
            original.open -= out;
            timeline(original.item, original.warehouse).add(at, -out);
            documents.push({ ...head, type: "purchase-return", lines: [{ item: original.item, warehouse: original.warehouse, qty: String(out), ref: { document: original.id, line: 0 } }] });
            break;
          }
          case "landed-cost": {
            const candidates = receipts.filter((x) => x.at <= at);
            const original = candidates[step.pick % Math.max(1, candidates.length)];
            if (!original) return;
            documents.push({ ...head, type: "cost-adjustment", reason: "landed-cost", receipt: original.id, allocation: { by: "value", amount: step.unitCost } });
            break;
          }
        }
        if (at > latest) latest = at;
      });
      return {
        config: {
          settings: { ...options.settings, ...(options.method === "lifo" ? { allowLifo: true } : {}) },
          items,
          warehouses: WAREHOUSES.map((id) => ({ id })),
        },
        documents,
      };
    });
};
