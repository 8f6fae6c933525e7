import { type SQL, sql } from 'drizzle-orm';
import type { DbCtx } from './client.ts';

/**
 * What the reports' SQL needs of the dialect, in one place, so the areas' report queries (GROUP
 * BY aggregates, never rows loaded into JS) read the same on SQLite and PostgreSQL. Time buckets
 * (the clinic's weeks and days, DST-correct) are worked out by the caller as UTC instants and
 * handed to the database as a small VALUES table to join on: SQLite knows no time zones, and a
 * range join on `start_at` uses its index on both dialects.
 */

/** A period of a report: its label (a local date, a month) and its UTC bounds [from, to). */
export interface Bucket {
  key: string;
  from: Date;
  to: Date;
}

/** One local day of a report's range: its date, ISO weekday (1 = Monday) and local noon's UTC offset applied to midnight. */
export interface ReportDay {
  date: string;
  weekday: number;
  /** The UTC instant of 00:00 local time, taken with the day's offset at noon (so working hours are exact on DST days). */
  base: Date;
}

/**
 * What every report query is asked: the range as UTC instants, its weeks and days in the clinic's
 * time zone, today's local date, and the practitioner the figures are limited to (null: all).
 */
export interface ReportScope {
  from: Date;
  to: Date;
  weeks: Bucket[];
  /** The range's local days as buckets (for daily figures). */
  daily: Bucket[];
  /** The range's local days with their weekday (for working hours). */
  days: ReportDay[];
  today: string;
  practitionerId: string | null;
}

/** A time as an SQL value: SQLite stores epoch ms, PostgreSQL timestamptz. */
export const instant = (ctx: DbCtx, d: Date): SQL =>
  ctx.dialect === 'sqlite' ? sql`${d.getTime()}` : sql`${d.toISOString()}::timestamptz`;

/** A time column (or expression) as epoch milliseconds, a number on both dialects. */
export const epochMs = (ctx: DbCtx, column: SQL | unknown): SQL =>
  ctx.dialect === 'sqlite' ? sql`${column}` : sql`(extract(epoch from ${column}) * 1000)::bigint`;

/** The smaller / larger of two numbers (SQLite's scalar min/max; PostgreSQL's least/greatest). */
export const least = (ctx: DbCtx, a: SQL, b: SQL): SQL =>
  ctx.dialect === 'sqlite' ? sql`min(${a}, ${b})` : sql`least(${a}, ${b})`;
export const greatest = (ctx: DbCtx, a: SQL, b: SQL): SQL =>
  ctx.dialect === 'sqlite' ? sql`max(${a}, ${b})` : sql`greatest(${a}, ${b})`;

/** An `HH:MM` text column as minutes after midnight (same SQL on both). */
export const minutesOfDay = (column: unknown): SQL =>
  sql`(cast(substr(${column}, 1, 2) as integer) * 60 + cast(substr(${column}, 4, 2) as integer))`;

/** `name(key, lo, hi) as (values …)`: the buckets as a CTE body to join a time column on (`lo <= t < hi`). */
export function bucketsCte(ctx: DbCtx, name: string, buckets: readonly Bucket[]): SQL {
  const rows = (buckets.length ? buckets : [{ key: '', from: new Date(0), to: new Date(0) }]).map(
    (b) => sql`(${sql`${b.key}`}${cast(ctx, 'text')}, ${instant(ctx, b.from)}, ${instant(ctx, b.to)})`,
  );
  return sql`${sql.identifier(name)}(key, lo, hi) as (values ${sql.join(rows, sql`, `)})`;
}

/** `name(day, weekday, base) as (values …)`: the range's local days, `base` in epoch ms. */
export function daysCte(ctx: DbCtx, name: string, days: readonly ReportDay[]): SQL {
  const rows = (days.length ? days : [{ date: '', weekday: 0, base: new Date(0) }]).map(
    (d) =>
      sql`(${sql`${d.date}`}${cast(ctx, 'text')}, ${sql`${d.weekday}`}${cast(ctx, 'integer')}, ${sql`${d.base.getTime()}`}${cast(ctx, 'bigint')})`,
  );
  return sql`${sql.identifier(name)}(day, weekday, base) as (values ${sql.join(rows, sql`, `)})`;
}

/** PostgreSQL types untyped parameters in VALUES as text: say which type each column is. */
const cast = (ctx: DbCtx, type: 'text' | 'integer' | 'bigint'): SQL =>
  ctx.dialect === 'postgres' ? sql.raw(`::${type}`) : sql``;

/** An aggregate (count/sum) as a JS number: PostgreSQL answers bigint and numeric as strings. */
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
