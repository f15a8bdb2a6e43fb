import type { JobRef } from './github.ts';
import type { InstallationCall } from './installation-call.ts';

/**
 * Re-runs one finished job (and what depends on it) as a new attempt of its workflow run. Needs
 * the App's Actions permission at read and write.
 */
export async function rerunJob(call: InstallationCall, job: JobRef): Promise<void> {
  await call(job.installationId, 'POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun', {
    params: { owner: job.owner, repo: job.repo, job_id: job.jobId },
  });
}
