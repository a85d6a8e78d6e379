/** Durations are written like `500ms`, `45s`, `2m`, `1h`, `7d` or `1m30s`; bare numbers are rejected as ambiguous. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Returns milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * The shortest readable form, for messages and the status page, exact to the millisecond so that it reads
 * back (parseDuration) as the same duration: 90000 -> "1m30s", 1500 -> "1.5s", 250 -> "250ms".
 */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  if (rest < 1_000) return `${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  // Seconds carry the milliseconds as a fraction: 1.5s, not 1s500ms.
  if (rest > 0) parts.push(`${rest / 1_000}s`);
  return parts.join('');
}
