import { runDeviceVector } from "@jxc/devices/testing";
import { conformanceSuite } from "../../../scripts/conformance-suite.js";

conformanceSuite("devices", runDeviceVector);
