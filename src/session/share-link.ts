/**
 * Share links: a scene, and optionally a recorded session's event log, in a URL fragment
 * `#s1.<payload>`: the payload is JSON, compressed with the platform's CompressionStream
 * ('deflate-raw', in Node and every browser), in base64url. `s1` is the link format's version.
 *
 * The scene is written as a JSON merge patch (RFC 7386) against its built-in scene when it has
 * one (`izhikevich/A` with one parameter changed is a few dozen bytes), else in full. A session
 * carries its recording without its output — the scene, the events, the step range and the
 * output's digest: opening the link runs the log again and proves the output bit-identical to
 * the digest, as a recording file is proved.
 *
 * A link is untrusted input like a file: its length and its inflated size are bounded before
 * anything is parsed (a small link may inflate to gigabytes), then the scene goes through
 * parseScene and the log through parseRecording, with the same limits and messages as files.
 * Nothing in a link is evaluated.
 */
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import { parseScene, type Scene } from '../core/scene.ts';
import { builtinScene } from '../core/scenes.ts';
import { InputError } from '../core/schema.ts';
import { canonicalJson } from './digest.ts';
import { parseRecording, RECORDING_FORMAT, RECORDING_VERSION, RecordingError, type Recording } from './recording.ts';
import { rebuildRecording } from './replay.ts';

/** The link format's version, first in the fragment: `#s1.<payload>`. */
export const LINK_VERSION = 1;
const PREFIX = `s${LINK_VERSION}.`;
/** Links longer than this are offered as a file instead (some chat tools and browsers cut long URLs). */
export const LINK_WARN_CHARS = 16 * 1024;
/** The longest fragment read at all (browsers keep URLs up to ~2 MB). */
export const MAX_LINK_CHARS = 2 * 1024 * 1024;

/** What a link holds: the scene, and the session's log when it shares one. */
export interface LinkContent {
  scene: Scene;
  /** A recording without its output's values (its digest only): `recordingFromLog` rebuilds them. */
  log?: Recording;
}

/** The payload's JSON. */
interface Payload {
  /** The built-in scene the patch applies to. */
  base?: string;
  /** A merge patch against `base`, or the whole scene. */
  scene: unknown;
  /** A recording's fields but `scene` and `output`; `digest` and `traces` stand for its output. */
  log?: Record<string, unknown>;
}

/**
 * The fragment (without '#') for a scene, or a recording's scene and log.
 *
 * @example
 * ```ts
 * const url = `${location.origin}${location.pathname}#${await encodeLink({ scene })}`;
 * ```
 */
export async function encodeLink(content: { scene: Scene; recording?: Recording }, base: (id: string) => Scene | undefined = builtinScene): Promise<string> {
  const scene = content.recording?.scene ?? content.scene;
  const payload: Payload = { scene };
  const baseScene = scene.id === undefined ? undefined : base(scene.id);
  if (baseScene) {
    const patch = mergePatch(baseScene, scene);
    if (JSON.stringify(patch ?? {}).length < JSON.stringify(scene).length) Object.assign(payload, { base: scene.id, scene: patch ?? {} });
  }
  if (content.recording) {
    const { scene: _scene, output, ...rest } = content.recording;
    payload.log = { ...rest, digest: output.digest, traces: output.traces !== undefined };
  }
  const bytes = await pipe(new TextEncoder().encode(JSON.stringify(payload)), new CompressionStream('deflate-raw'));
  return PREFIX + toBase64Url(bytes);
}

/**
 * Reads a link's fragment (with or without '#'): its scene, and its log when it shares a session.
 * Anything wrong is an InputError (field `link`) saying what; the session log's fields are
 * checked by parseRecording (a RecordingError).
 *
 * @example
 * ```ts
 * const { scene, log } = await decodeLink(location.hash);
 * ```
 */
export async function decodeLink(fragment: string, limits: Limits = DEFAULT_LIMITS, base: (id: string) => Scene | undefined = builtinScene): Promise<LinkContent> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const bad = (allowed: string): InputError => new InputError('link', `#${text.slice(0, 24)}${text.length > 24 ? '…' : ''}`, allowed);
  if (text.length > MAX_LINK_CHARS) throw bad(`a link of at most ${MAX_LINK_CHARS} characters (this one has ${text.length})`);
  const version = /^s(\d{1,6})\./.exec(text);
  if (!version) throw bad(`a Spikescope link, #s${LINK_VERSION}.<data>`);
  if (Number(version[1]) !== LINK_VERSION) throw bad(`a link of format s${LINK_VERSION} (this app reads s${LINK_VERSION} links; this one is s${version[1]}: made by another version of Spikescope)`);
  const data = text.slice(version[0].length);
  if (!/^[A-Za-z0-9_-]*$/.test(data)) throw bad('base64url data after the version (the link is cut or was changed)');
  let json: string;
  try {
    const inflated = await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw'), limits.inputFileBytes);
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw bad(`compressed data (the link is cut or was changed: ${(error as Error).message})`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    throw bad('JSON inside (the link was changed)');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw bad('an object inside');
  const { base: baseId, scene: sceneRaw, log, ...rest } = payload as Payload;
  if (Object.keys(rest).length > 0) throw bad(`no other fields than base, scene and log (found ${Object.keys(rest).join(', ')})`);
  let sceneInput = sceneRaw;
  if (baseId !== undefined) {
    const from = typeof baseId === 'string' ? base(baseId) : undefined;
    if (!from) throw new InputError('link base', baseId, 'a built-in scene id (the link was made by another version of Spikescope, or changed)');
    sceneInput = applyMergePatch(from, sceneRaw);
  }
  const scene = parseScene(sceneInput, limits);
  if (log === undefined) return { scene };
  if (typeof log !== 'object' || log === null || Array.isArray(log)) throw bad('a session log object');
  const { digest, traces, ...fields } = log;
  if (typeof traces !== 'boolean') throw new InputError('link log.traces', traces, 'true or false');
  const recording = parseRecording(JSON.stringify({ ...fields, format: RECORDING_FORMAT, scene, output: { spikes: { step: [], neuron: [], timeMs: [] }, digest } }), limits);
  if (recording.version !== RECORDING_VERSION) throw new RecordingError(`this link's session is recording format ${recording.version}; links carry format ${RECORDING_VERSION} sessions only (an outdated link: share it again from this version)`);
  return { scene, log: traces ? withTraceFlag(recording) : recording };
}

/** Marks a log whose recording kept traces (its digest covers them): the rebuild records them too. */
function withTraceFlag(log: Recording): Recording {
  return { ...log, output: { ...log.output, traces: { probes: [], values: [] } } };
}

/**
 * A recording with the output rebuilt by running a link's log, carrying the link's digest: its
 * replay (verifyRecording) then says ✓ exactly when this app computes the output the link was
 * made from, and ✗ with both digests otherwise.
 */
export function recordingFromLog(log: Recording, limits: Limits = DEFAULT_LIMITS): Recording {
  const rebuilt = rebuildRecording({ ...log, output: { ...log.output, spikes: { step: [], neuron: [], timeMs: [] } } }, log.output.traces !== undefined, limits);
  return { ...rebuilt, version: log.version, output: { ...rebuilt.output, digest: log.output.digest } };
}

// ── JSON merge patch (RFC 7386) ───────────────────────────────────────────────────────────────

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The merge patch that turns `from` into `to` (undefined when they are equal): objects by field, anything else whole. */
export function mergePatch(from: unknown, to: unknown): Json | undefined {
  if (!isObject(from) || !isObject(to)) return canonicalJson(from) === canonicalJson(to) ? undefined : (JSON.parse(JSON.stringify(to)) as Json);
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(from)) if (from[key] !== undefined && to[key] === undefined) patch[key] = null;
  for (const key of Object.keys(to)) {
    if (to[key] === undefined) continue;
    const part = from[key] === undefined ? (JSON.parse(JSON.stringify(to[key])) as Json) : mergePatch(from[key], to[key]);
    if (part !== undefined) patch[key] = part;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/** `target` with `patch` applied (RFC 7386); a `__proto__` field is refused, never assigned. */
export function applyMergePatch(target: unknown, patch: unknown, field = 'link scene'): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    if (key === '__proto__') throw new InputError(`${field}.${key}`, patch[key], 'a scene field');
    const value = patch[key];
    if (value === null) delete out[key];
    else Object.defineProperty(out, key, { value: applyMergePatch(out[key], value, `${field}.${key}`), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ── Bytes ─────────────────────────────────────────────────────────────────────────────────────

/** Bytes through a (de)compression stream; with `limit`, stops with an InputError once the output passes it. */
async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const writing = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  writing.catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new InputError('link', `more than ${limit} bytes inflated`, `a link whose content is at most ${limit} bytes (limit "inputFileBytes")`);
    }
    chunks.push(value);
  }
  await writing;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
