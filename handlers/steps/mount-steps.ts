import express, { type Router } from 'express';
import { sendError } from '../http/error-response.ts';
import type { Step } from './index.ts';
import type { StepDeps } from './step-deps.ts';
import { emitStepFailure, emitStepMetrics } from '../metrics/step-metrics.ts';

/** Mounts each step at `POST /steps/<name>`: JSON in, JSON out, errors mapped in one place. */
export function mountSteps(steps: Readonly<Record<string, Step>>, deps: StepDeps): Router {
  const router = express.Router();
  router.post('/steps/:name', express.json({ limit: '256kb' }), async (request, response) => {
    const name = String(request.params['name']);
    const step = Object.hasOwn(steps, name) ? steps[name] : undefined;
    if (!step) {
      response.status(404).json({ error: { kind: 'not_found', message: `no step named ${name}` } });
      return;
    }
    const started = deps.clock.now();
    try {
      const result = await step(request.body, deps);
      deps.log.debug({ step: name, ms: deps.clock.now() - started }, 'step done');
      emitStepMetrics(name, request.body, result, deps.clock.now() - started, deps);
      response.json(result);
    } catch (error) {
      deps.log.warn({ step: name, ms: deps.clock.now() - started, err: error }, 'step failed');
      emitStepFailure(name, error, deps.log);
      sendError(response, error);
    }
  });
  return router;
}
