import { z } from 'zod';
import { boolOption, configFrom, dataOptions, int, option, textOption } from '../config/index.ts';
import { backlogThresholdSeconds, type Job, jobStatuses } from '../jobs/index.ts';
import { defineCommand } from './command.ts';
import { withCommandApp } from './start.ts';

const usage = `clinicbox jobs <list|show ID|retry ID|retry --all-dead|cancel ID|stats> [flags]`;

const keyTaken = 'a job with the same key is already waiting (or running); retry once it has finished';

export const jobsCommand = defineCommand({
  name: 'jobs',
  usage,
  summary: 'Look at and operate the job queue: list, show, retry dead jobs, cancel queued ones, stats.',
  options: {
    ...dataOptions,
    status: option('status <status>', z.enum(['', ...jobStatuses]), '', {
      accepts: jobStatuses.join(', '),
      describe: 'list: only jobs with this status.',
    }),
    name: textOption(
      'name',
      'name',
      'a job name',
      'list: only jobs with this name (e.g. jobs.prune-finished).',
    ),
    limit: option('limit <n>', int(1, 10_000), 50, {
      accepts: 'a whole number 1–10000',
      describe: 'list: at most this many (newest first).',
    }),
    allDead: boolOption('all-dead', false, 'retry: every dead job.'),
    json: boolOption('json', false, 'Print JSON instead of a table.'),
  },
  async run(values, positionals, ctx) {
    const [sub, arg] = positionals;
    const id = arg === undefined ? Number.NaN : Number(arg);
    const needsId = sub === 'show' || sub === 'cancel' || (sub === 'retry' && !values.allDead);
    if (!sub || !['list', 'show', 'retry', 'cancel', 'stats'].includes(sub)) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    if (needsId && !(Number.isInteger(id) && id > 0)) {
      ctx.err(
        `jobs ${sub}: expected a job id (a whole number), got ${arg === undefined ? 'nothing' : JSON.stringify(arg)}`,
      );
      return 2;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    return withCommandApp(config, ctx, 'jobs', async (app) => {
      const admin = app.deps.jobs.admin;
      const print = (data: unknown, human: () => string) =>
        ctx.out(values.json ? JSON.stringify(data, null, 2) : human());
      switch (sub) {
        case 'list': {
          const jobs = await admin.list({
            ...(values.status ? { status: values.status } : {}),
            ...(values.name ? { name: values.name } : {}),
            limit: values.limit,
          });
          print(jobs, () => formatTable(jobs));
          return 0;
        }
        case 'show': {
          const job = await admin.get(id);
          if (!job) {
            ctx.err(`jobs show: no job ${id}`);
            return 1;
          }
          print(job, () =>
            Object.entries(job)
              .map(([k, v]) => `${k.padEnd(12)} ${formatValue(v)}`)
              .join('\n'),
          );
          return 0;
        }
        case 'retry': {
          if (values.allDead) {
            const { retried, skipped } = await admin.retryAllDead();
            ctx.out(
              `queued ${retried} dead job${retried === 1 ? '' : 's'} again` +
                (skipped ? `; skipped ${skipped}: ${keyTaken}` : ''),
            );
            return 0;
          }
          const outcome = await admin.retry(id);
          if (outcome === 'queued') {
            ctx.out(`job ${id} queued again`);
            return 0;
          }
          ctx.err(
            outcome === 'key-taken'
              ? `jobs retry: job ${id} not queued again: ${keyTaken}`
              : `jobs retry: job ${id} does not exist or is not dead or cancelled`,
          );
          return 1;
        }
        case 'cancel': {
          if (await admin.cancel(id)) {
            ctx.out(`job ${id} cancelled`);
            return 0;
          }
          ctx.err(
            `jobs cancel: job ${id} does not exist or is not queued (a running job cannot be cancelled)`,
          );
          return 1;
        }
        default: {
          const stats = await admin.stats();
          print(stats, () =>
            [
              ...jobStatuses.map((s) => `${s.padEnd(10)} ${stats.counts[s]}`),
              `oldest due job waiting: ${stats.oldestDueSeconds === null ? 'none' : `${stats.oldestDueSeconds} s`}`,
              ...(stats.backlog
                ? [`BACKLOG: due jobs have waited over ${backlogThresholdSeconds} s — is a worker running?`]
                : []),
            ].join('\n'),
          );
          return 0;
        }
      }
    });
  },
});

function formatValue(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (v === null || v === undefined) return '-';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function formatTable(jobs: Job[]): string {
  if (jobs.length === 0) return '(no jobs)';
  const rows = jobs.map((j) => [
    String(j.id),
    j.name,
    j.status,
    `${j.attempts}/${j.maxAttempts}`,
    j.runAt.toISOString(),
    (j.lastError ?? '').slice(0, 60),
  ]);
  const head = ['id', 'name', 'status', 'attempts', 'run at', 'last error'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
