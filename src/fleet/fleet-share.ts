/**
 * Which planes a replica checks first: rendezvous (highest-random-weight) hashing of each plane over the live
 * replicas. Pure. Every replica computes the same split from the same list of live replicas, each plane goes to
 * exactly one of them, and when a replica joins or leaves only the planes it gains or held move.
 */
export function preferredPlanes(
  planes: readonly string[],
  instances: readonly string[],
  instance: string,
): string[] {
  if (instances.length === 0 || !instances.includes(instance)) return [...planes];
  return planes.filter((plane) => ownerOf(plane, instances) === instance);
}

/** The replica that a plane goes to among `instances` (non-empty). */
export function ownerOf(plane: string, instances: readonly string[]): string {
  let best = '';
  let bestWeight = -1;
  for (const candidate of instances) {
    const weight = weightOf(candidate, plane);
    // Ties (rare) go to the smaller name, so every replica breaks them the same way.
    if (weight > bestWeight || (weight === bestWeight && candidate < best)) {
      best = candidate;
      bestWeight = weight;
    }
  }
  return best;
}

/** FNV-1a (32 bits) of `instance NUL plane`, then a final mix so that similar names spread well. */
function weightOf(instance: string, plane: string): number {
  let hash = 0x811c9dc5;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  };
  mix(instance);
  mix('\0');
  mix(plane);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** How early a tick may come (a clock a little off, a timer a little early) and still count for its slot. */
export function slotGraceMs(intervalMs: number): number {
  return Math.min(2_000, Math.round(intervalMs / 10));
}

/**
 * The schedule slot under way at `nowMs` on the store's clock, named by its start (epoch ms), so that slots
 * of different intervals still order by time (a rolling update that changes the interval). Pure. Every
 * replica's cron fires at the same boundary; a tick up to `slotGraceMs` early counts for the slot it opens,
 * and a replica that starts mid-interval joins the slot under way rather than the next one.
 */
export function slotOf(nowMs: number, intervalMs: number): number {
  return Math.floor((nowMs + slotGraceMs(intervalMs)) / intervalMs) * intervalMs;
}
