export { findSharedConformance } from "../../../scripts/shared-dir.js";
