/**
 * The command line's arguments: flags per command, parsed strictly. A number is a plain decimal
 * (`0.1`, `-2`, `1e-3`): hex, `Infinity`, blanks and trailing junk are refused. A switch is
 * `--name`, `--name=true` or `--name=false`; any other value is refused. Every mistake is a
 * UsageError, reported in one line with exit code 2.
 */
import { checkParam, type ParamSpec } from '../core/schema.ts';

/** The command as typed: `npm run cli --` in this repository, `spikescope` where the package is installed. */
export const PROGRAM = process.env.npm_lifecycle_event === 'cli' ? 'npm run cli --' : 'spikescope';

/** A mistake in the command line: reported in one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandSpec {
  /** Flags that take a value. */
  readonly values: readonly string[];
  /** Flags that are on or off. */
  readonly switches: readonly string[];
}

export interface Options {
  positional: string[];
  /** Flags with values. */
  flags: Map<string, string>;
  /** Switches given (true or false). */
  switches: Map<string, boolean>;
}

export function parseArgs(argv: readonly string[], command: string, spec: CommandSpec): Options {
  const allowed = [...spec.values, ...spec.switches];
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const switches = new Map<string, boolean>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const allowedText = allowed.map((f) => '--' + f).join(' ') || 'none';
    // A short option (-o) is a mistake, not a file name: say how options are written.
    if (/^-[^-\d.]/.test(arg)) throw new UsageError(`unknown option ${arg} for ${command}: options are written out, with two dashes; allowed: ${allowedText}`);
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name} for ${command}; allowed: ${allowedText}`);
    if (flags.has(name) || switches.has(name)) throw new UsageError(`option --${name} is given twice`);
    if (spec.switches.includes(name)) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new UsageError(`--${name}=${inline} is not allowed: --${name}, --${name}=true or --${name}=false`);
      switches.set(name, inline !== 'false');
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags, switches };
}

/** True when the switch was given on (`--name` or `--name=true`). */
export function isOn(options: Options, name: string): boolean {
  return options.switches.get(name) === true;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A strictly parsed decimal number, or a UsageError naming the flag. */
export function parseNumber(text: string, flag: string): number {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a number: write a decimal number such as 0.25, 10 or 1e-3`);
  return value;
}

/** The value of a number flag checked against its schema entry, or undefined when the flag is absent. */
export function numberFlag(options: Options, name: string, spec: ParamSpec): number | undefined {
  const text = options.flags.get(name);
  if (text === undefined) return undefined;
  return checkParam(spec, parseNumber(text, name), `--${name}`);
}

/** The value of a whole-number flag from `min` to `max`, or `fallback` when absent. */
export function wholeNumberFlag(options: Options, name: string, min: number, max: number, fallback: number): number {
  const text = options.flags.get(name);
  if (text === undefined) return fallback;
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} ${text} is not allowed: a whole number from ${min} to ${max}`);
  return value;
}
