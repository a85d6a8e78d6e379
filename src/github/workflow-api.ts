import type { GithubClient } from './octokit-client.js';

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

export type GithubErrorKind =
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'server_error'
  | 'network'
  | 'invalid_response';

export class GithubError extends Error {
  override name = 'GithubError';
  constructor(
    readonly kind: GithubErrorKind,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }

  /** For logs and the heal log: kind and status, never response bodies or headers. */
  get summary(): string {
    return this.status === undefined ? this.kind : `${this.kind} (${this.status})`;
  }
}

/** Maps whatever octokit threw to a GithubError with a fixed kind. */
export function toGithubError(error: unknown): GithubError {
  if (error instanceof GithubError) return error;
  const status = (error as { status?: unknown }).status;
  const message =
    error instanceof Error ? (error.message.split('\n')[0]?.slice(0, 200) ?? '') : String(error);
  if (typeof status !== 'number') return new GithubError('network', undefined, message);
  if (status === 429 || (status === 403 && /rate limit/i.test(message)))
    return new GithubError('rate_limited', status, message);
  if (status === 401) return new GithubError('unauthorized', status, message);
  if (status === 403) return new GithubError('forbidden', status, message);
  if (status === 404) return new GithubError('not_found', status, message);
  if (status === 400 || status === 422) return new GithubError('invalid', status, message);
  if (status >= 500) return new GithubError('server_error', status, message);
  return new GithubError('invalid', status, message);
}

/**
 * Dispatches the workflow. Asks for the run's details (GitHub answers 200 with the run id); a server
 * that answers 204, or that rejects the field (older GitHub Enterprise Server), gives no run id and the
 * caller finds the run by its correlation id instead.
 */
export async function dispatchWorkflow(
  github: GithubClient,
  target: WorkflowTarget,
  inputs: Record<string, string>,
): Promise<{ runId?: number; runUrl?: string }> {
  const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' as const;
  const params = {
    owner: target.owner,
    repo: target.repo,
    workflow_id: target.workflow,
    ref: target.ref,
    inputs,
  };
  try {
    const response = await github.request(route, { ...params, return_run_details: true });
    const data: unknown = response.data;
    if (response.status === 200 && data && typeof data === 'object' && 'workflow_run_id' in data) {
      const details = data as { workflow_run_id: unknown; html_url?: unknown };
      if (typeof details.workflow_run_id !== 'number')
        throw new GithubError('invalid_response', 200, 'workflow_run_id is not a number');
      return {
        runId: details.workflow_run_id,
        runUrl: typeof details.html_url === 'string' ? details.html_url : undefined,
      };
    }
    return {};
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
