import type { Deadline } from '../util/deadline.js';
import type { Failure } from './http.js';

export interface SmokeTestUser {
  id: string;
  organizationId: string;
}

export interface Oracle {
  id: string;
}

/** A lookup either finds the thing, definitively finds nothing, or fails (and then proves nothing). */
export type LookupOutcome<T> =
  { kind: 'found'; value: T } | { kind: 'not_found' } | { kind: 'failed'; failure: Failure };

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export type AsyncState = 'pending' | 'succeeded' | 'failed';

export interface AsyncRequestStatus {
  state: AsyncState;
  /** The platform's own word, e.g. QUEUED or EXPIRED. */
  status: string;
  /** Error codes the platform reported for a failed request. */
  errorCodes: string[];
}

/** What the check engine needs from a model-serving platform; one plane's calls carry that plane. */
export interface PlatformApi {
  findUser(plane: PlaneRef, signal: Deadline): Promise<LookupOutcome<SmokeTestUser>>;
  findOracle(plane: PlaneRef, user: SmokeTestUser, signal: Deadline): Promise<LookupOutcome<Oracle>>;
  predict(plane: PlaneRef, oracle: Oracle, signal: Deadline): Promise<CallOutcome<void>>;
  submitAsyncPredict(plane: PlaneRef, oracle: Oracle, signal: Deadline): Promise<CallOutcome<string>>;
  getAsyncStatus(
    plane: PlaneRef,
    oracle: Oracle,
    requestId: string,
    signal: Deadline,
  ): Promise<CallOutcome<AsyncRequestStatus>>;
}

export interface PlaneRef {
  name: string;
  inferenceUrl: string;
  /** The plane's own settings (workloadPlanes[] in the config); absent: the platform-wide value. */
  controlPlaneUrl?: string;
  requestTimeout?: number;
  asyncTimeout?: number;
  pollInterval?: number;
}
