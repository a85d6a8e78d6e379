import type { PlaneMaintenance } from './maintenance-window.js';

/**
 * Maintenance started at run time (API, CLI), stored so that it survives a restart and, in a fleet, holds
 * for every replica. The port lives here with the domain; SQLite (src/store/sqlite-maintenance.ts) and
 * PostgreSQL (src/store/postgres/pg-maintenance.ts) implement it. Configured windows are not stored: every
 * replica reads them from the same config. Replicas read it once per cycle into memory (MaintenanceView).
 */
export interface MaintenanceStore {
  /** Puts `maintenance.plane` in maintenance, replacing any run-time maintenance it had. */
  start(maintenance: PlaneMaintenance): Promise<void>;
  /** Ends the plane's run-time maintenance; returns it when it was still running at `now`. */
  end(plane: string, now: number): Promise<PlaneMaintenance | undefined>;
  /** Every run-time maintenance still running at `now`, by plane. */
  active(now: number): Promise<PlaneMaintenance[]>;
  /**
   * Deletes the maintenance that ran out at or before `now` and returns it: of replicas that expire at the
   * same moment, each row goes to one, so its end is recorded once.
   */
  expire(now: number): Promise<PlaneMaintenance[]>;
}
