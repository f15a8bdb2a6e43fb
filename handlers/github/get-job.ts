import { RunnerError } from '../errors.ts';
import type { JobRef, JobState } from './github.ts';
import type { InstallationCall } from './installation-call.ts';

/** The fields of GitHub's `job` object that we read. */
interface JobWire {
  readonly status: string;
  readonly conclusion: string | null;
  readonly runner_name: string | null;
  readonly run_attempt?: number;
}

/** The job as GitHub sees it now; `null` when GitHub no longer knows it (404). */
export async function getJob(call: InstallationCall, job: JobRef): Promise<JobState | null> {
  try {
    const { data } = await call<JobWire>(job.installationId, 'GET /repos/{owner}/{repo}/actions/jobs/{job_id}', {
      params: { owner: job.owner, repo: job.repo, job_id: job.jobId },
    });
    return {
      status: data.status,
      conclusion: data.conclusion,
      runnerName: data.runner_name ?? null,
      runAttempt: data.run_attempt ?? 1,
    };
  } catch (error) {
    if (error instanceof RunnerError && error.kind === 'not_found') return null;
    throw error;
  }
}
