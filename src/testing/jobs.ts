import { z } from 'zod';
import { type JobType, jobType } from '../jobs/index.ts';

/** A job type for queue tests: any payload, under `name` (handlers, if any, are the test's). */
export const testJob = (name: string): JobType<any> => jobType(name, z.any());
