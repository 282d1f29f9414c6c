/**
 * Pilot selection and human review of replenishment suggestions: ABC/XYZ classification, pilot
 * SKUs, reason codes, the review log, adoption rates (采纳率) and the monthly review report that
 * attributes stockouts and overstocks to their causes.
 *
 * @module
 */
export * from "./errors.js";
export * from "./classify.js";
export * from "./pilot.js";
export * from "./reasons.js";
export * from "./review.js";
export * from "./adoption.js";
export * from "./attribution.js";
