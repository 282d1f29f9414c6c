import { packageBuild } from "../../scripts/tsup-package.js";

export default packageBuild();
