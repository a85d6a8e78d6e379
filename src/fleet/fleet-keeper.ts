import { withTimeout } from '../util/with-timeout.js';
import type { FleetCoordinator } from './fleet-coordinator.js';

export interface FleetKeeperOptions {
  coordinator: FleetCoordinator;
  instance: string;
  intervalMs: number;
  /** How long a claim holds without renewal (see fleetTimings). */
  leaseMs: number;
  /** How often this runs (see fleetTimings). */
  periodMs: number;
  /** The longest a renewal or rescue may take before the store counts as not answering. */
  timeoutMs: number;
  /** Checks planes rescued from a replica that died mid-cycle; resolves once they are checked. */
  checkRescued: (planes: readonly string[]) => Promise<void>;
  onStorageError: (error: unknown, during: 'renew' | 'rescue' | 'complete') => void;
  onStorageAnswered: () => void;
  onRescued?: (planes: readonly string[]) => void;
}

/** Pure: the fleet's timings from the schedule: renewal period, claim lease, and the live window. */
export function fleetTimings(intervalMs: number) {
  // Several renewals per interval, so that a replica that died is noticed early in the slot.
  const periodMs = Math.min(5_000, Math.max(250, Math.round(intervalMs / 8)));
  return {
    periodMs,
    // Renewed every period, a live replica holds its claims for as long as its checks take (a plane's
    // deadline included); a dead one loses them three missed renewals later, early enough for another replica
    // to check its planes within the same interval. One slow renewal never loses a claim.
    leaseMs: 3 * periodMs,
    liveWindowMs: Math.round(intervalMs * 2.5),
    // A store that takes longer than this to claim or renew is treated as down for the cycle.
    timeoutMs: Math.min(5_000, Math.max(1_000, Math.round(intervalMs / 4))),
  };
}

/**
 * A replica's background work in a fleet, every `periodMs`: renew the leases of the planes it claimed, then
 * take over and check the planes whose claims ran out in the current slot (their replica died mid-cycle),
 * so they are checked in the same interval rather than the next.
 */
export class FleetKeeper {
  readonly #options: FleetKeeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #started = false;
  #stopped = false;

  constructor(options: FleetKeeperOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule();
  }

  /** Stops; waits for a round under way (its checks end with the daemon's shutdown signal). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One round: renew, rescue, check what was rescued. Never rejects. */
  async round(): Promise<void> {
    const { coordinator, instance, intervalMs, leaseMs, timeoutMs, checkRescued, onStorageError } =
      this.#options;
    try {
      await withTimeout(coordinator.renew(instance, leaseMs), timeoutMs, 'renew');
    } catch (error) {
      onStorageError(error, 'renew');
      return;
    }
    let rescued: { slot: number; planes: string[] };
    try {
      rescued = await withTimeout(coordinator.rescue(instance, intervalMs, leaseMs), timeoutMs, 'rescue');
      this.#options.onStorageAnswered();
    } catch (error) {
      onStorageError(error, 'rescue');
      return;
    }
    if (rescued.planes.length === 0 || this.#stopped) return;
    this.#options.onRescued?.(rescued.planes);
    await checkRescued(rescued.planes);
    try {
      await withTimeout(coordinator.complete(rescued.planes, instance, rescued.slot), timeoutMs, 'complete');
    } catch (error) {
      onStorageError(error, 'complete');
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.round().then(() => this.#schedule());
    }, this.#options.periodMs);
  }
}
