/**
 * The node-cron expression for an interval, in UTC, or undefined when no cron expression can tick at
 * that interval: it must divide a minute (in seconds), an hour (in minutes) or a day (in hours).
 */
export function intervalToCron(intervalMs: number): string | undefined {
  if (intervalMs % 1000 !== 0) return undefined;
  const seconds = intervalMs / 1000;
  if (seconds < 60) return 60 % seconds === 0 ? `*/${seconds} * * * * *` : undefined;
  if (seconds % 60 !== 0) return undefined;
  const minutes = seconds / 60;
  if (minutes < 60) return 60 % minutes === 0 ? `0 */${minutes} * * * *` : undefined;
  if (minutes % 60 !== 0) return undefined;
  const hours = minutes / 60;
  return hours <= 24 && 24 % hours === 0 ? `0 0 */${hours} * * *` : undefined;
}
