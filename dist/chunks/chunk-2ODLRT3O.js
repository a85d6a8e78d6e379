// src/heal/heal-action.ts
var ACTIVE_STATUSES = ["dispatching", "queued", "in_progress"];

export {
  ACTIVE_STATUSES
};
