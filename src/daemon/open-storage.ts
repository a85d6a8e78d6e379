import type { ResultFeed, ResultStore } from '../check/result-store.js';
import type { StorageConfig } from '../config/schema.js';
import { redactStorageUrl } from '../config/storage-url.js';
import type { FleetCoordinator } from '../fleet/fleet-coordinator.js';
import type { HealLog } from '../heal/heal-log.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { MaintenanceStore } from '../maintenance/maintenance-store.js';

/** The store a daemon runs on, and what comes with it: one SQLite file, or a fleet's PostgreSQL. */
export interface DaemonStorage {
  kind: 'sqlite' | 'postgresql';
  /** The file, or the server and database without the password: for the start log. */
  where: string;
  store: ResultStore;
  /** Run-time maintenance, shared by a fleet. */
  maintenance: MaintenanceStore;
  /** Who did what, shared by a fleet. */
  audit: AuditTrail;
  /** PostgreSQL only: what other replicas stored, to keep the board current. */
  feed?: ResultFeed;
  /** PostgreSQL only: who is alive, and who checks which plane in which slot. */
  coordinator?: FleetCoordinator;
  /** SQLite only: folds the WAL back into the file now and then. */
  checkpoint?: () => void;
  /** Opened on demand: a daemon without self-heal never needs it. */
  openHealLog(): Promise<HealLog & { flush?: () => Promise<void> }>;
  close(): Promise<void>;
}

export interface OpenStorageEvents {
  /** SQLite: the file was unusable, moved aside and replaced by a fresh one. */
  onRecovered: (event: { path: string; movedTo: string; cause: string }) => void;
  onCheckpointError: (error: Error) => void;
  /** PostgreSQL: an idle connection failed, or a background write (the GitHub stop) did not go through. */
  onBackgroundError: (error: Error) => void;
}

/**
 * Opens the store `storage` names. The PostgreSQL client is loaded only when a fleet uses it, so a daemon on
 * SQLite carries no pg code. Throws StoreError when the store cannot be used (bad URL, unreachable server,
 * a schema from a newer planecheck, an unopenable file).
 */
export async function openStorage(storage: StorageConfig, events: OpenStorageEvents): Promise<DaemonStorage> {
  if (storage.url !== undefined) {
    const url = storage.url;
    const [
      { openPostgresStore },
      { openPostgresHealLog },
      { PostgresFleet },
      { PostgresMaintenanceStore },
      { PostgresAuditTrail },
    ] = await Promise.all([
      import('../store/postgres/pg-store.js'),
      import('../store/postgres/pg-heal-log.js'),
      import('../fleet/pg-fleet.js'),
      import('../store/postgres/pg-maintenance.js'),
      import('../store/postgres/pg-audit.js'),
    ]);
    const store = await openPostgresStore(url, { onError: events.onBackgroundError });
    return {
      kind: 'postgresql',
      where: redactStorageUrl(url),
      store,
      maintenance: new PostgresMaintenanceStore(store.pool),
      audit: new PostgresAuditTrail(store.pool),
      feed: store,
      coordinator: new PostgresFleet(store.pool),
      openHealLog: () => openPostgresHealLog(store.pool, { onError: events.onBackgroundError }),
      close: () => store.close(),
    };
  }
  const path = storage.path;
  const [{ openSqliteStore }, { SqliteHealLog }, { SqliteMaintenanceStore }, { SqliteAuditTrail }] =
    await Promise.all([
      import('../store/sqlite-store.js'),
      import('../store/sqlite-heal-log.js'),
      import('../store/sqlite-maintenance.js'),
      import('../store/sqlite-audit.js'),
    ]);
  const store = openSqliteStore(path, {
    onRecovered: events.onRecovered,
    onCheckpointError: events.onCheckpointError,
  });
  return {
    kind: 'sqlite',
    where: path,
    store,
    maintenance: new SqliteMaintenanceStore(store.database),
    audit: new SqliteAuditTrail(store.database),
    checkpoint: () => store.checkpoint(),
    openHealLog: () => Promise.resolve(new SqliteHealLog(store.database)),
    close: () => store.close(),
  };
}
