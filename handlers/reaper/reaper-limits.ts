/**
 * The reaper's bounds. Each number is what a leaked VM or runner registration may cost at most, so
 * each one says why it is not smaller.
 */

/**
 * A VM younger than this is never touched: create-vm may still be waiting on its insert, and its
 * runner may not have connected yet. The same 10 minutes create-vm allows for boot in the VM's
 * `maxRunDuration`.
 */
export const VM_BOOT_GRACE_SECONDS = 10 * 60;

/**
 * Compute deletes a VM by itself at idle timeout + max duration + boot grace (create-vm sets
 * `maxRunDuration` so). 15 more minutes let that, or the execution's own delete-vm, finish first:
 * the reaper only acts when both failed.
 */
export const VM_OVERDUE_GRACE_SECONDS = 15 * 60;

/**
 * A runner of ours is removed only when it was offline with no VM at two looks this far apart.
 * GitHub gives no registration time, and mint-token runs before create-vm: on stockout create-vm is
 * retried for up to ~14 minutes of backoff (runner.yaml: 12 retries, 2 s doubling, capped at
 * 120 s) plus the inserts themselves, all while the new runner is offline with no VM.
 */
export const RUNNER_GRACE_SECONDS = 30 * 60;

/**
 * GitHub.com keeps webhook deliveries for 3 days (GitHub Enterprise Server: 7); an hour less, so a
 * redelivery never races the expiry of what it redelivers.
 */
export const DELIVERY_WINDOW_SECONDS = 3 * 24 * 60 * 60 - 60 * 60;

/**
 * At most 20 pages of 100 per walk (failures, then successes since the oldest failure): 40 JWT
 * requests a run at worst. With no failure in the window a run costs one request.
 */
export const MAX_DELIVERY_PAGES = 20;

/** The failed events of an outage are worked off at 50 a run (600 an hour at one run per 5 minutes), oldest first. */
export const MAX_REDELIVERIES_PER_RUN = 50;

/**
 * Deleting a VM waits for its zone operation (10-30 s on Compute Engine): 20 per run, 4 at once,
 * stays well inside the 300 s a step call may take. More wait for the next run.
 */
export const MAX_VM_REMOVALS_PER_RUN = 20;
export const VM_REMOVAL_CONCURRENCY = 4;

/** Runner candidates carried from the first look to the second, through the execution's variables. */
export const MAX_RUNNER_CANDIDATES = 100;
