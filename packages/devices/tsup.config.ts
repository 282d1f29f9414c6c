import { packageBuild } from "../../scripts/tsup-package.js";

export default packageBuild({ "connection/index": "src/connection/index.ts" });
