// src/heal/heal-action.ts
var ACTIVE_STATUSES = ["dispatching", "queued", "in_progress"];
var RESUMABLE_STATUSES = [...ACTIVE_STATUSES, "completed"];

export {
  ACTIVE_STATUSES,
  RESUMABLE_STATUSES
};
