// src/fleet/fleet-share.ts
function preferredPlanes(planes, instances, instance) {
  if (instances.length === 0 || !instances.includes(instance)) return [...planes];
  return planes.filter((plane) => ownerOf(plane, instances) === instance);
}
function ownerOf(plane, instances) {
  let best = "";
  let bestWeight = -1;
  for (const candidate of instances) {
    const weight = weightOf(candidate, plane);
    if (weight > bestWeight || weight === bestWeight && candidate < best) {
      best = candidate;
      bestWeight = weight;
    }
  }
  return best;
}
function weightOf(instance, plane) {
  let hash = 2166136261;
  const mix = (text) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 16777619);
    }
  };
  mix(instance);
  mix("\0");
  mix(plane);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 2246822507);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 3266489909);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
function slotGraceMs(intervalMs) {
  return Math.min(2e3, Math.round(intervalMs / 10));
}
function slotOf(nowMs, intervalMs) {
  return Math.floor((nowMs + slotGraceMs(intervalMs)) / intervalMs) * intervalMs;
}

export {
  preferredPlanes,
  slotGraceMs,
  slotOf
};
