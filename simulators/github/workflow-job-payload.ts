import fixture from './fixtures/workflow-job-queued.json' with { type: 'json' };
import { simpleUser } from './simple-user.ts';
import type { Account, SimJob } from './types.ts';

/**
 * `fixtures/workflow-job-queued.json` is the `workflow_job.queued` example of
 * @octokit/webhooks-examples, copied so the simulator runs without dev dependencies. Payloads keep
 * its shape (key order, the repository's fields, the sender) and take their values from our job.
 */
const FIXTURE_FULL_NAME = fixture.repository.full_name;
const FIXTURE_OWNER = fixture.repository.owner.login;

export type WorkflowJobAction = 'queued' | 'in_progress' | 'completed';

export function workflowJobPayload(job: SimJob, action: WorkflowJobAction, account: Account, apiUrl: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    action,
    workflow_job: workflowJobJson(job, apiUrl),
    repository: repositoryJson(job, account, apiUrl),
  };
  if (account.type === 'Organization') payload['organization'] = organizationJson(account, apiUrl);
  payload['sender'] = fixture.sender;
  payload['installation'] = {
    id: account.installationId,
    node_id: Buffer.from(`04:Installation${account.installationId}`).toString('base64'),
  };
  return payload;
}

/** The job object: the webhook's `workflow_job` and the REST `GET …/actions/jobs/{id}` answer. */
export function workflowJobJson(job: SimJob, apiUrl: string): Record<string, unknown> {
  const repoApi = `${apiUrl}/repos/${job.owner}/${job.repo}`;
  return {
    id: job.id,
    run_id: job.runId,
    workflow_name: job.workflowName,
    head_branch: 'main',
    run_url: `${repoApi}/actions/runs/${job.runId}`,
    run_attempt: job.runAttempt,
    node_id: `CR_kwDO${Buffer.from(String(job.id)).toString('base64url')}`,
    head_sha: job.headSha,
    url: `${repoApi}/actions/jobs/${job.id}`,
    html_url: `https://github.com/${job.owner}/${job.repo}/actions/runs/${job.runId}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    name: job.name,
    steps: stepsOf(job),
    check_run_url: `${repoApi}/check-runs/${job.id}`,
    labels: [...job.labels],
    runner_id: job.runnerId,
    runner_name: job.runnerName,
    runner_group_id: job.runnerGroupId,
    runner_group_name: job.runnerGroupName,
  };
}

/** No steps until a runner takes the job; then one "Set up job" step that follows the job. */
function stepsOf(job: SimJob): Record<string, unknown>[] {
  if (job.runnerId === null) return [];
  const done = job.status === 'completed';
  const conclusion = job.conclusion === 'success' || job.conclusion === 'failure' || job.conclusion === 'skipped' ? job.conclusion : 'cancelled';
  return [
    {
      name: 'Set up job',
      status: done ? 'completed' : 'in_progress',
      conclusion: done ? conclusion : null,
      number: 1,
      started_at: job.startedAt,
      completed_at: done ? job.completedAt : null,
    },
  ];
}

/** A repository in the webhook's shape; also what `GET /installation/repositories` lists. */
export function repositoryJson(job: Pick<SimJob, 'owner' | 'repo' | 'repoId' | 'private'>, account: Account, apiUrl: string): Record<string, unknown> {
  const fullName = `${job.owner}/${job.repo}`;
  const rewrite = (value: unknown): unknown =>
    typeof value === 'string'
      ? value
          .replaceAll('https://api.github.com', apiUrl)
          .replaceAll(FIXTURE_FULL_NAME, fullName)
          .replaceAll(`/${FIXTURE_OWNER}`, `/${job.owner}`)
      : value;
  const base = Object.fromEntries(Object.entries(fixture.repository).map(([key, value]) => [key, rewrite(value)]));
  return {
    ...base,
    id: job.repoId,
    node_id: Buffer.from(`010:Repository${job.repoId}`).toString('base64'),
    name: job.repo,
    full_name: fullName,
    private: job.private,
    owner: simpleUser(account, apiUrl),
    visibility: job.private ? 'private' : 'public',
  };
}

function organizationJson(account: Account, apiUrl: string): Record<string, unknown> {
  const api = `${apiUrl}/orgs/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: Buffer.from(`012:Organization${account.id}`).toString('base64'),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    description: null,
  };
}
