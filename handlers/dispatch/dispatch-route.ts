import express, { type Router } from 'express';
import { z } from 'zod';
import { sendError } from '../http/error-response.ts';
import type { QueueTask } from '../queue/job-event.ts';
import { dispatchEvent, type DispatchDeps } from './dispatch-event.ts';

const taskSchema = z.object({
  name: z.string().min(1),
  event: z.object({
    action: z.enum(['queued', 'in_progress', 'completed']),
    deliveryId: z.string(),
    installationId: z.number().int(),
    owner: z.string(),
    repo: z.string(),
    ownerIsOrganization: z.boolean(),
    jobId: z.number().int(),
    runId: z.number().int(),
    runAttempt: z.number().int(),
    labels: z.array(z.string()),
    templateName: z.string().nullable(),
    runnerName: z.string().nullable(),
    conclusion: z.string().nullable(),
  }),
});

/**
 * `POST /dispatch`: Cloud Tasks delivers each queued task here. A 2xx ends the task (also when the
 * event was dropped with a reason); any other status makes Cloud Tasks retry it with backoff.
 */
export function dispatchRoute(deps: DispatchDeps): Router {
  const router = express.Router();
  router.post('/dispatch', express.json({ limit: '64kb' }), async (request, response) => {
    const parsed = taskSchema.safeParse(request.body);
    if (!parsed.success) {
      deps.log.error({ issue: parsed.error.issues[0]?.message }, 'dispatch refused a malformed task');
      response.status(400).json({ error: { kind: 'invalid', message: 'not a queue task' } });
      return;
    }
    try {
      response.json(await dispatchEvent(parsed.data as QueueTask, deps));
    } catch (error) {
      deps.log.warn({ task: parsed.data.name, err: error }, 'dispatch failed; the queue retries it');
      sendError(response, error);
    }
  });
  return router;
}
