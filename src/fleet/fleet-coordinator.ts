/** What a replica learns from its heartbeat. */
export interface Heartbeat {
  /** The replicas seen within the live window, this one included, sorted. */
  instances: string[];
  /** The store's clock (epoch ms): the one clock every replica agrees on. */
  nowMs: number;
}

/**
 * How the replicas of a fleet share the checks: a heartbeat says who is alive, and a claim gives one replica a
 * plane for one schedule slot, with a lease. Implemented on PostgreSQL (pg-fleet.ts).
 */
export interface FleetCoordinator {
  /** Records that `instance` is alive, and lists the replicas seen within `liveWindowMs`. */
  heartbeat(instance: string, liveWindowMs: number): Promise<Heartbeat>;
  /**
   * Claims each of `planes` for `slot` that no live lease holds for it; gives the planes now held by
   * `instance`. A lease that runs out before its check is done lets another replica take the plane.
   */
  claim(planes: readonly string[], instance: string, slot: number, leaseMs: number): Promise<string[]>;
  /** Marks the planes checked for `slot`, so nobody checks them again in that slot. */
  complete(planes: readonly string[], instance: string, slot: number): Promise<void>;
  /**
   * Extends the leases of `instance`'s unfinished claims to `leaseMs` from now: a live replica keeps what it
   * claimed however long its share takes, and a dead one's claims run out `leaseMs` after its last renewal.
   */
  renew(instance: string, leaseMs: number): Promise<void>;
  /**
   * Takes over the unfinished claims of the current slot (on the store's clock, slots of `intervalMs`) whose
   * lease has run out: a replica that died mid-cycle. Gives the planes now held by `instance`, and their slot.
   */
  rescue(instance: string, intervalMs: number, leaseMs: number): Promise<{ slot: number; planes: string[] }>;
  /** A clean shutdown: gives up unfinished claims and leaves the live list at once. */
  leave(instance: string): Promise<void>;
}
