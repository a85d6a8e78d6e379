/**
 * The store cannot be used as configured: a database from a newer planecheck, a file that cannot be opened, a
 * storage URL that does not parse, a server that does not answer at start. A restart will not mend it, so the
 * daemon reports it and exits instead of retrying.
 */
export class StoreError extends Error {
  override name = 'StoreError';
}
