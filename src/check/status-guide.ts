import type { PlaneStatus } from './result.js';

export interface StatusGuide {
  meaning: string;
  /** The first thing an on-call engineer should do; docs/runbook.md has the rest. */
  nextStep: string;
}

/** One-line meaning and first step per status, shared by the CLI, the Action summary and the status page. */
export const STATUS_GUIDE: Record<PlaneStatus, StatusGuide> = {
  HEALTHY: {
    meaning: 'The smoke-test user was found and its health-check model answered /predict and /async_predict.',
    nextStep: 'Nothing to do.',
  },
  NO_USER: {
    meaning: 'The control plane answered, and the smoke-test user for this plane does not exist.',
    nextStep:
      'Run the production smoke-test workflow for this plane (self-heal does this when enabled), then find out what deleted the user.',
  },
  NO_ORACLE: {
    meaning: 'The smoke-test user exists, but its health-check model is not deployed.',
    nextStep:
      'Run the production smoke-test workflow to redeploy the model (self-heal does this when enabled); check recent deploys and deletions.',
  },
  FAILED: {
    meaning:
      'A request to the platform failed, timed out or returned something malformed; the reason names the step.',
    nextStep:
      'Read the reason: a lookup failure points at the control plane, a predict failure at the plane or the model; check the model logs.',
  },
  NO_VALUE: {
    meaning:
      'No fresh result: the check did not run within the cache TTL. This says nothing about the plane itself.',
    nextStep:
      'Check that the planecheck daemon is running and its cycles complete (logs, /readyz, cycle metrics).',
  },
};
