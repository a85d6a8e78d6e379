import { GithubError, toGithubError } from './github-error.js';
import { fetchReportingSend, type GithubClient } from './octokit-client.js';

export { GithubBackoffError, GithubError, toGithubError, type GithubErrorKind } from './github-error.js';

export interface WorkflowTarget {
  owner: string;
  repo: string;
  /** File name (`production-smoke-test.yml`) or numeric id. */
  workflow: string;
  ref: string;
}

export interface WorkflowRun {
  id: number;
  title: string;
  status: string;
  conclusion: string | null;
  htmlUrl: string;
  createdAt: string;
}

/**
 * Dispatches the workflow. Asks for the run's details (GitHub answers 200 with the run id); a server
 * that answers 204 or any other 2xx without a numeric run id, or that rejects the field (older GitHub
 * Enterprise Server), gives no run id and the caller finds the run by its correlation id instead. Sent once: a failure whose `outcomeUnknown` is set
 * (timeout, broken connection, 5xx) may still have started a run.
 */
export async function dispatchWorkflow(
  github: GithubClient,
  target: WorkflowTarget,
  inputs: Record<string, string>,
  /** Called when the request actually leaves for GitHub (not while it waits in octokit's queue). */
  onSend?: () => void,
): Promise<{ runId?: number; runUrl?: string }> {
  const fetch = onSend === undefined ? undefined : fetchReportingSend(github, onSend);
  const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' as const;
  const params = {
    owner: target.owner,
    repo: target.repo,
    workflow_id: target.workflow,
    ref: target.ref,
    inputs,
    // Never sent twice by the retry plugin: after a timeout or 5xx GitHub may have started the run, and
    // only a look for it by correlation id (the caller's job) can tell.
    request: { retries: 0, ...(fetch && { fetch }) },
  };
  try {
    const response = await github.request(route, { ...params, return_run_details: true });
    // Any 2xx means GitHub took the dispatch: a body without a usable run id (a string id, an HTML page
    // from a proxy) must not turn a started run into a failure that is dispatched again next cycle.
    const details = response.data as { workflow_run_id?: unknown; html_url?: unknown } | undefined;
    if (typeof details !== 'object' || details === null) return {};
    if (typeof details.workflow_run_id !== 'number' || !Number.isSafeInteger(details.workflow_run_id))
      return {};
    return {
      runId: details.workflow_run_id,
      runUrl: typeof details.html_url === 'string' ? details.html_url : undefined,
    };
  } catch (error) {
    const failure = toGithubError(error);
    // Older GitHub Enterprise Server: 'Invalid request.\n\n"return_run_details" is not a permitted key.'
    const rawMessage = error instanceof Error ? error.message : '';
    if (failure.status === 422 && /return_run_details/.test(rawMessage)) {
      try {
        await github.request(route, params);
        return {};
      } catch (retryError) {
        throw toGithubError(retryError);
      }
    }
    throw failure;
  }
}

/** `workflow_dispatch` runs of the workflow created at or after `since` (newest first, at most 100). */
export async function listDispatchRuns(
  github: GithubClient,
  target: WorkflowTarget,
  since: Date,
): Promise<WorkflowRun[]> {
  try {
    const response = await github.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      owner: target.owner,
      repo: target.repo,
      workflow_id: target.workflow,
      event: 'workflow_dispatch',
      created: `>=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
      per_page: 100,
    });
    const runs: unknown = response.data.workflow_runs;
    if (!Array.isArray(runs))
      throw new GithubError('invalid_response', response.status, 'no workflow_runs list');
    return runs.map(toRun);
  } catch (error) {
    throw toGithubError(error);
  }
}

export async function getRun(
  github: GithubClient,
  target: WorkflowTarget,
  runId: number,
): Promise<WorkflowRun> {
  try {
    const response = await github.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: target.owner,
      repo: target.repo,
      run_id: runId,
    });
    return toRun(response.data);
  } catch (error) {
    throw toGithubError(error);
  }
}

function toRun(raw: unknown): WorkflowRun {
  const run = raw as Record<string, unknown>;
  if (typeof run.id !== 'number' || typeof run.status !== 'string') {
    throw new GithubError('invalid_response', undefined, 'workflow run without id or status');
  }
  return {
    id: run.id,
    title: typeof run.display_title === 'string' ? run.display_title : '',
    status: run.status,
    conclusion: typeof run.conclusion === 'string' ? run.conclusion : null,
    htmlUrl: typeof run.html_url === 'string' ? run.html_url : '',
    createdAt: typeof run.created_at === 'string' ? run.created_at : '',
  };
}
