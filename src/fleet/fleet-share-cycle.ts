import type { FleetCoordinator } from './fleet-coordinator.js';
import { preferredPlanes, slotOf } from './fleet-share.js';
import { withTimeout } from '../util/with-timeout.js';

export interface FleetShareOptions {
  coordinator: FleetCoordinator;
  instance: string;
  planes: readonly string[];
  intervalMs: number;
  /** How long a claim holds before another replica may take the plane: at least the plane deadline. */
  leaseMs: number;
  /** A replica whose heartbeat is older than this is not counted as live. */
  liveWindowMs: number;
  /** The longest a heartbeat or claim may take before the store counts as not answering. */
  timeoutMs: number;
  /** True while this replica should check every plane without claiming any (its writes fail). */
  holdClaims?: () => boolean;
  /** The store did not answer: this cycle checks every plane. */
  onStorageError: (error: unknown, during: 'heartbeat' | 'claim' | 'complete') => void;
  /** The live replicas, after each heartbeat. */
  onInstances?: (instances: readonly string[]) => void;
}

/**
 * One cycle's share of the work for one replica of a fleet. `batches()` yields the planes to check, batch by
 * batch: first this replica's own share (rendezvous hashing over the live replicas), claimed for the slot;
 * then, once those are checked, any plane nobody has claimed for the slot yet (a replica that died or is
 * slow), until none is left. Each batch is marked done once the consumer asks for the next.
 *
 * When the store does not answer, the replica checks every plane itself: duplicate checks for a while are
 * better than planes nobody checks.
 */
export class FleetShareCycle {
  #options: FleetShareOptions;

  constructor(options: FleetShareOptions) {
    this.#options = options;
  }

  /** Follows a reloaded config: the next cycle shares out and claims only these planes. */
  setPlanes(planes: readonly string[]): void {
    this.#options = { ...this.#options, planes };
  }

  async *batches(): AsyncGenerator<readonly string[], void, undefined> {
    const { instance, planes, intervalMs, leaseMs, liveWindowMs, timeoutMs } = this.#options;
    const store = this.#options.coordinator;
    // A store that accepts connections but never answers must not hold the cycle until its own timeouts.
    const coordinator = {
      heartbeat: (...args: Parameters<typeof store.heartbeat>) =>
        withTimeout(store.heartbeat(...args), timeoutMs, 'heartbeat'),
      claim: (...args: Parameters<typeof store.claim>) =>
        withTimeout(store.claim(...args), timeoutMs, 'claim'),
      complete: (...args: Parameters<typeof store.complete>) =>
        withTimeout(store.complete(...args), timeoutMs, 'complete'),
    };
    let slot: number;
    let own: string[];
    try {
      const beat = await coordinator.heartbeat(instance, liveWindowMs);
      this.#options.onInstances?.(beat.instances);
      slot = slotOf(beat.nowMs, intervalMs);
      own = preferredPlanes(planes, beat.instances, instance);
    } catch (error) {
      this.#options.onStorageError(error, 'heartbeat');
      yield planes;
      return;
    }
    if (this.#options.holdClaims?.()) {
      yield planes;
      return;
    }
    let batch: string[];
    try {
      batch = await coordinator.claim(own, instance, slot, leaseMs);
    } catch (error) {
      this.#options.onStorageError(error, 'claim');
      yield planes;
      return;
    }
    for (let round = 0; round <= planes.length; round++) {
      if (batch.length > 0) {
        yield batch;
        try {
          await coordinator.complete(batch, instance, slot);
        } catch (error) {
          // The results are written; at worst a lease runs out and another replica checks these again.
          this.#options.onStorageError(error, 'complete');
        }
      }
      try {
        batch = await coordinator.claim(planes, instance, slot, leaseMs);
      } catch (error) {
        this.#options.onStorageError(error, 'claim');
        return;
      }
      if (batch.length === 0) return;
    }
  }
}
