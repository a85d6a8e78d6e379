import {
  MAINTENANCE_SCHEMA,
  SqliteMaintenanceStore,
  settle
} from "./chunk-X4L55N5Q.js";
export {
  MAINTENANCE_SCHEMA,
  SqliteMaintenanceStore,
  settle
};
