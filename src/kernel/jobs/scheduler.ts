import { CronExpressionParser } from 'cron-parser';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { nowIso, toJson } from '../db/values.js';
import { insertJob } from './enqueue.js';
import type { ScheduleDefinition } from './types.js';

/** A module's schedule with the full name of the job it enqueues. */
export type ScheduledJob = ScheduleDefinition & { jobName: string };

function timezoneOf(schedule: ScheduledJob): string {
  return schedule.timezone ?? 'UTC';
}

/** The first occurrence strictly after `after`, as stored in `schedules.next_run_at`. */
export function nextOccurrence(schedule: ScheduledJob, after: Date): string {
  const expression = CronExpressionParser.parse(schedule.cron, { currentDate: after, tz: timezoneOf(schedule) });
  return nowIso(expression.next().toDate());
}

/** Fails at boot, naming the schedule, rather than at the first tick. */
export function validateSchedule(schedule: ScheduledJob): void {
  try {
    // An unknown time zone only shows when an occurrence is computed.
    nextOccurrence(schedule, new Date());
  } catch (err) {
    throw new Error(
      `Schedule "${schedule.name}" has an invalid cron expression "${schedule.cron}"` +
        `${schedule.timezone ? ` or time zone "${schedule.timezone}"` : ''}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Makes the `schedules` table match the definitions. A schedule keeps its pending occurrence
 * unless its cron expression or time zone changed; schedules no longer defined are removed.
 * One upsert per schedule, so processes booting together cannot interleave badly.
 */
export async function syncSchedules(db: Db, schedules: readonly ScheduledJob[], now: Date = new Date()): Promise<void> {
  for (const schedule of schedules) {
    await db
      .insertInto('schedules')
      .values({
        name: schedule.name,
        cron: schedule.cron,
        timezone: timezoneOf(schedule),
        job: schedule.jobName,
        payload: toJson(schedule.payload ?? null),
        next_run_at: nextOccurrence(schedule, now),
        updated_at: nowIso(now),
      })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({
          cron: eb.ref('excluded.cron'),
          timezone: eb.ref('excluded.timezone'),
          job: eb.ref('excluded.job'),
          payload: eb.ref('excluded.payload'),
          updated_at: eb.ref('excluded.updated_at'),
          next_run_at: eb
            .case()
            .when(eb.and([eb('schedules.cron', '=', eb.ref('excluded.cron')), eb('schedules.timezone', '=', eb.ref('excluded.timezone'))]))
            .then(eb.ref('schedules.next_run_at'))
            .else(eb.ref('excluded.next_run_at'))
            .end(),
        })),
      )
      .execute();
  }
  const names = schedules.map((s) => s.name);
  await db
    .deleteFrom('schedules')
    .$if(names.length > 0, (q) => q.where('name', 'not in', names))
    .execute();
}

/**
 * Enqueues the job of every schedule due at `now` and returns how many this call enqueued.
 * Each due occurrence is taken with a compare-and-set on `next_run_at`: of several processes
 * ticking together, only the one whose update matched enqueues, in the same transaction.
 * Missed occurrences (the city was down) run once, then the schedule moves to its next future one.
 */
export async function tickSchedules(db: Db, schedules: readonly ScheduledJob[], now: Date = new Date()): Promise<number> {
  if (schedules.length === 0) return 0;
  const byName = new Map(schedules.map((s) => [s.name, s]));
  const due = await db
    .selectFrom('schedules')
    .select(['name', 'next_run_at'])
    .where('next_run_at', '<=', nowIso(now))
    // Rows defined only by another version of the platform are that version's to run.
    .where('name', 'in', [...byName.keys()])
    .execute();
  let enqueued = 0;
  for (const row of due) {
    const schedule = byName.get(row.name) as ScheduledJob;
    const taken = await inTransaction(db, async (trx) => {
      const result = await trx
        .updateTable('schedules')
        .set({ next_run_at: nextOccurrence(schedule, now), updated_at: nowIso(now) })
        .where('name', '=', row.name)
        .where('next_run_at', '=', row.next_run_at)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return false;
      await insertJob(trx, schedule.jobName, schedule.payload, { uniqueKey: `schedule:${row.name}:${row.next_run_at}` });
      return true;
    });
    if (taken) enqueued += 1;
  }
  return enqueued;
}
