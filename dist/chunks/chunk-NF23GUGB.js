// src/check/result.ts
var PLANE_STATUSES = ["HEALTHY", "NO_USER", "NO_ORACLE", "FAILED", "NO_VALUE"];
var STEP_NAMES = ["user_lookup", "oracle_lookup", "predict", "async_predict"];

export {
  PLANE_STATUSES,
  STEP_NAMES
};
