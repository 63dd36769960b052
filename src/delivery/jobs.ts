/**
 * Every after-commit job the server runs, built with what they need (the service context for
 * configuration and clock). One entry per job module; the outbox worker claims only these kinds.
 */
import type { z } from 'zod';
import type { ServiceContext } from '../services/context.js';
import { defineJob, notifyInApp, type JobDefinition } from './outbox-worker.js';

export interface JobDeps {
  readonly ctx: ServiceContext;
}

export function buildJobs(_deps: JobDeps): JobDefinition<z.ZodType>[] {
  return [defineJob(notifyInApp)];
}
