/**
 * Parameter schemas: every model parameter is described once (name, unit, default,
 * allowed range, one line of doc; for people, a label, a typical range and a precision).
 * Validation, the CLI, the GUI and file formats all derive from these descriptions instead of
 * restating them.
 */

export interface ParamSpec {
  /** The symbol: the name in files, scenes, the CLI and `setParam`. */
  readonly name: string;
  readonly unit: string;
  readonly default: number;
  /** The allowed range: any value in it may be typed or given in a file. */
  readonly min: number;
  readonly max: number;
  /** `min` itself is not allowed (a duration: greater than 0). */
  readonly minExclusive?: boolean;
  /** One line that explains the parameter to a person. */
  readonly doc: string;
  /** Whole numbers only (counts, indices). */
  readonly integer?: boolean;
  /** A human label, e.g. "refractory period" for tauRefMs (the GUI shows it with the symbol). */
  readonly label?: string;
  /** The range worth exploring, where the GUI's slider goes (typed values may go anywhere allowed). */
  readonly typical?: readonly [number, number];
  /** The slider moves on a log scale (the typical range spans decades; both ends > 0). */
  readonly log?: boolean;
  /** Decimals the slider steps by and the GUI shows (values typed with more keep them). */
  readonly precision?: number;
}

export type ParamSchema = readonly ParamSpec[];

/** A named choice between a few strings (integration method, connectivity kind…). */
export interface ChoiceSpec<T extends string = string> {
  readonly name: string;
  readonly choices: readonly T[];
  readonly default: T;
  readonly doc: string;
}

/**
 * Thrown for any invalid user input; the message names the field, its value and what is allowed.
 *
 * @example
 * ```ts
 * try {
 *   parseScene({ model: 'lif', neurons: 0 });
 * } catch (error) {
 *   if (error instanceof InputError) console.log(error.field, error.allowed);
 * }
 * ```
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${field} = ${describe(value)} is not allowed: ${allowed}`);
    this.name = 'InputError';
  }
}

/** A short text for any value (at most ~60 characters), without serialising all of a huge one. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  const text = preview(value, 64);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** JSON-like text of a value, cut once it passes `budget` characters (arrays and objects are walked only that far). */
function preview(value: unknown, budget: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > budget ? value.slice(0, budget) : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return Object.prototype.toString.call(value);
  const list = Array.isArray(value);
  const keys = list ? undefined : Object.keys(value as object);
  const length = list ? (value as unknown[]).length : keys!.length;
  let text = list ? '[' : '{';
  for (let i = 0; i < length; i++) {
    if (text.length > budget) return text + '...';
    const item = list ? (value as unknown[])[i] : (value as Record<string, unknown>)[keys![i]!];
    text += (i > 0 ? ',' : '') + (list ? '' : JSON.stringify(keys![i]) + ':') + preview(item, budget - text.length);
  }
  return text + (list ? ']' : '}');
}

export function rangeText(spec: ParamSpec): string {
  // 'input' stands for the model's input unit (a stimulus field's spec before currentSpec gives it the model's).
  const unit = spec.unit === 'input' ? " in the model's input unit" : spec.unit ? ` ${spec.unit}` : '';
  const range = spec.minExclusive ? `greater than ${spec.min} and at most ${spec.max}` : `from ${spec.min} to ${spec.max}`;
  return `${spec.integer ? 'a whole number' : 'a number'} ${range}${unit}`;
}

/** Checks one value against its spec; returns it (−0 as 0) or throws an InputError naming `field`. */
export function checkParam(spec: ParamSpec, value: unknown, field = spec.name): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || (spec.minExclusive && value === spec.min) || value > spec.max || (spec.integer && !Number.isInteger(value))) {
    throw new InputError(field, value, rangeText(spec));
  }
  return plainZero(value);
}

/**
 * −0 as 0. A file (JSON) cannot hold −0, so every number that enters a run is taken as a file
 * would give it back: a live run and its replay from the file then compute with the same bits.
 */
export function plainZero(value: number): number {
  return value === 0 ? 0 : value;
}

export function findParam(schema: ParamSchema, name: string, field = name): ParamSpec {
  const spec = schema.find((p) => p.name === name);
  if (!spec) throw new InputError(field, name, `one of ${schema.map((p) => p.name).join(', ')}`);
  return spec;
}

/**
 * Fills defaults and validates a partial parameter record. Unknown names are errors,
 * so that a typo never silently leaves a default in place.
 */
export function resolveParams(schema: ParamSchema, given: unknown, field = 'params'): Record<string, number> {
  if (given === undefined || given === null) given = {};
  if (typeof given !== 'object' || Array.isArray(given)) throw new InputError(field, given, 'an object of parameter values');
  const out: Record<string, number> = {};
  for (const spec of schema) out[spec.name] = spec.default;
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    const spec = findParam(schema, name, `${field}.${name}`);
    out[name] = checkParam(spec, value, `${field}.${name}`);
  }
  return out;
}

export function checkChoice<T extends string>(spec: ChoiceSpec<T>, value: unknown, field = spec.name): T {
  if (value === undefined) return spec.default;
  if (typeof value !== 'string' || !(spec.choices as readonly string[]).includes(value)) {
    throw new InputError(field, value, `one of ${spec.choices.join(', ')}`);
  }
  return value as T;
}

/**
 * A value as a person reads it: without binary float noise (0.1 + 0.2 shows 0.3, not
 * 0.30000000000000004), at most 12 significant digits, a true minus sign left as "-" for typing.
 */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(12)));
}

/** A value rounded to the spec's display precision (a slider's value: no float noise). */
export function roundToPrecision(spec: ParamSpec, value: number): number {
  if (spec.integer) return Math.round(value);
  if (spec.log && value > 0) {
    // Three significant digits on a log scale: 0.0123, 1.23, 123.
    return Number(value.toPrecision(3));
  }
  const decimals = spec.precision ?? 3;
  return plainZero(Number(value.toFixed(decimals)));
}

/**
 * A value typed by a person: a plain decimal number (`0.25`, `-2`, `1e-3`), spaces around it
 * allowed. Anything else ("0.3abc", "", "0x10", "Infinity") is returned as the text itself, so
 * that checkParam refuses it with the text in its message.
 */
export function parseTyped(text: string): number | string {
  const trimmed = text.trim().replace(/^\u2212/, '-');
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) ? plainZero(Number(trimmed)) : text;
}

/** The record of values of a schema declared `as const satisfies ParamSchema`. */
export type ParamValues<S extends ParamSchema> = Record<S[number]['name'], number>;
