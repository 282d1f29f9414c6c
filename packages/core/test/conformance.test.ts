import { runValuationVector } from "@jxc/core/testing";
import { conformanceSuite } from "../../../scripts/conformance-suite.js";

conformanceSuite("valuation", runValuationVector);
