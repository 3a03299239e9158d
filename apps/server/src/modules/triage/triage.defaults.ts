/**
 * Triage's settings when the operator sets none: one place for config.ts (the environment's
 * defaults) and services.ts (callers such as tests that pass no settings).
 */
export const TRIAGE_DEFAULTS = {
  /** DOORSTEP_TRIAGE_THRESHOLD */
  threshold: 0.6,
  /** DOORSTEP_DUPLICATE_RADIUS_M */
  duplicateRadiusM: 200,
  /** DOORSTEP_DUPLICATE_DAYS */
  duplicateDays: 7,
  /** DOORSTEP_HOTSPOT_ALERT_GROWTH */
  alertGrowth: 1,
  /** DOORSTEP_HOTSPOT_ALERT_MIN_REPORTS */
  alertMinReports: 5,
} as const;
