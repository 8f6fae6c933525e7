/**
 * The clinicbox process with one extra job, `test.record`, whose handler appends its job id to
 * the file named by CLINICBOX_TEST_RECORD_FILE after an optional delay. The crash test runs the
 * real `worker` command through this entry to see which jobs ran, and how often.
 */
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { defineJob, jobType } from '../jobs/index.ts';
import { jitter } from './wait.ts';

const file = process.env.CLINICBOX_TEST_RECORD_FILE;
const delayMs = Number(process.env.CLINICBOX_TEST_RECORD_DELAY_MS ?? 0);
if (!file) throw new Error('set CLINICBOX_TEST_RECORD_FILE');

const recordJob = defineJob(jobType('test.record', z.object({ n: z.number() })), {
  async handle(_payload, { job }) {
    if (delayMs) await jitter(delayMs); // real time: work a kill can land in the middle of
    appendFileSync(file, `${job.id}\n`);
  },
});

(globalThis as { __clinicboxExtraJobs?: unknown }).__clinicboxExtraJobs = [recordJob];
await import('../main.ts');
