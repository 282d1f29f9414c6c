import { runVoucherVector } from "@jxc/ledger/testing";
import { conformanceSuite } from "../../../scripts/conformance-suite.js";

conformanceSuite("vouchers", runVoucherVector);
