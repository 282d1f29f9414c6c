import { describe, expect, it } from "vitest";
import { parsePurchaseRequest, purchaseRequestToWire, type PurchaseRequestInput } from "@jxc/core";
import { failWith, ok } from "../../../scripts/test-support.js";

const request: PurchaseRequestInput = {
  id: "PR-1",
  businessId: "B-1",
  at: "2026-09-01T09:00:00+08:00",
  type: "purchase-request",
  supplier: "S1",
  warehouse: "WH1",
  status: "draft",
  lines: [{ item: "A", qty: "24", unit: "pcs", needBy: "2026-09-04", explanation: "reorder: position 10 ≤ s 30" }],
};

describe("purchase request (采购申请)", () => {
  it("parses quantities as decimals and writes them back unchanged", () => {
    const parsed = ok(parsePurchaseRequest(request));
    expect(parsed.lines[0]!.qty.toString()).toBe("24");
    expect(purchaseRequestToWire(parsed)).toEqual(request);
  });

  it("refuses a zero quantity, a number quantity, a bad date and an empty request, naming the field", () => {
    const zero = failWith(parsePurchaseRequest({ ...request, lines: [{ ...request.lines[0], qty: "0" }] }), "InvalidInput");
    expect(zero.issues.map((i) => i.path)).toEqual(["lines.0.qty"]);
    const num = failWith(parsePurchaseRequest({ ...request, lines: [{ ...request.lines[0], qty: 3 }] }), "InvalidInput");
    expect(num.issues[0]!.path).toBe("lines.0.qty");
    const date = failWith(parsePurchaseRequest({ ...request, lines: [{ ...request.lines[0], needBy: "2026-13-01" }] }), "InvalidInput");
    expect(date.issues[0]!.path).toBe("lines.0.needBy");
    const empty = failWith(parsePurchaseRequest({ ...request, lines: [] }), "InvalidInput");
    expect(empty.issues[0]!.path).toBe("lines");
    failWith(parsePurchaseRequest({ ...request, status: "posted" }), "InvalidInput");
  });
});
