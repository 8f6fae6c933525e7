import { z } from 'zod';

/** How one setting is declared: its flag, env twin, default, help text and schema. */
export interface OptionSpec<T = unknown> {
  /** Flag name without dashes; also the key in a config file. */
  flag: string;
  /** What the value is, for help and for error lines ("a port number 0–65535"). */
  accepts: string;
  describe: string;
  default: T;
  schema: z.ZodType<T>;
  /** The value's name in help (`--port <port>`). */
  metavar?: string;
  /** Boolean switches take no value; `--no-<flag>` sets them false. */
  boolean?: boolean;
}

export const opt = <T>(spec: OptionSpec<T>): OptionSpec<T> => spec;

/** What `--help` says of a setting besides its usage line: the values it accepts, and what it does. */
export interface OptionText {
  accepts: string;
  describe: string;
}

/**
 * One setting, declared in the order `--help` shows it: its usage (`'database-pool <n>'`, the flag
 * and the value's name), the schema of its value, its default, and its text.
 */
export function option<T>(usage: string, schema: z.ZodType<T>, def: NoInfer<T>, text: OptionText) {
  const [, flag, metavar] = /^([\w-]+) <(.+)>$/.exec(usage) ?? [];
  if (!flag || !metavar) throw new Error(`option usage "${usage}" is not "flag <value>"`);
  return opt<T>({ flag, metavar, accepts: text.accepts, describe: text.describe, default: def, schema });
}

/** A setting that takes one of a few words; `--help` lists them ("json or pretty"). */
export const choice = <const V extends readonly [string, ...string[]]>(
  usage: string,
  values: V,
  def: NoInfer<V[number]>,
  text: Pick<OptionText, 'describe'>,
) => option<V[number]>(usage, z.enum(values), def, { accepts: listOf(values), describe: text.describe });

/** "a", "a or b", "a, b or c". */
const listOf = (values: readonly string[]) =>
  values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

/** A text setting that is empty (off) or matches `pattern`. */
export const emptyOr = (pattern: RegExp, message?: string) =>
  z.string().refine((v) => v === '' || pattern.test(v), message);
/** A boolean switch: `--flag` sets true, `--no-flag` false. */
export const boolOption = (flag: string, def: boolean, describe: string) =>
  opt<boolean>({
    flag,
    accepts: 'true or false',
    describe,
    default: def,
    boolean: true,
    schema: booleanValue,
  });
/** A command's own text flag (empty by default): `--flag <metavar>`. */
export const textOption = (flag: string, metavar: string, accepts: string, describe: string) =>
  opt<string>({ flag, metavar, accepts, describe, default: '', schema: z.string() });

const booleanValue = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);
/**
 * A number from a flag, env or config file: a JSON number, or a string of digits. Not
 * `z.coerce`, which reads "", " ", null and true as 0 or 1.
 */
export const numberValue = (pattern: RegExp) =>
  z.union([z.number(), z.string().trim().regex(pattern).transform(Number)]);
export const int = (min: number, max: number) =>
  numberValue(/^-?\d+$/).pipe(z.number().int().min(min).max(max));

export type OptionTable = Record<string, OptionSpec<any>>;
export type ValuesOf<T extends OptionTable> = { readonly [K in keyof T]: T[K]['default'] };
