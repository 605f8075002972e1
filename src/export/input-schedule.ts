/**
 * The input of a run as an exported script replays it: the external current of every neuron,
 * step by step, from the scene's stimulus protocol and a recording's hand pulses, holds,
 * releases and protocol changes; and the recording's parameter changes and restarts.
 *
 * Neurons that receive the same sources (the same `targets` lists include them) receive the same
 * current, so the neurons are split into drive groups and each group's current is computed once
 * per step, with the engine's own functions (fillStimulus, applyHandEvent) in the engine's order
 * of additions: the values are the engine's bits. A group's current is written as its change
 * points: the value from each time on, until the next.
 */
import type { InputEvent } from '../core/events.ts';
import type { Scene } from '../core/scene.ts';
import { applyHandEvent, type Snapshot } from '../core/simulation.ts';
import { fillStimulus, type DcSource, type DeterministicSource, type Stimulus, type StimulusSource } from '../core/stimulus.ts';
import { ExportRefusal } from './refusal.ts';

/** The current of a group of neurons: `values[k]` from step `steps[k]` on (steps counted from the script's t = 0). */
export interface Drive {
  /** Neuron indices, ascending, or 'all'. */
  neurons: number[] | 'all';
  steps: number[];
  values: number[];
}

export interface InputSchedule {
  drives: Drive[];
  /** set-param events: the new value applies from `step` on. */
  changes: { step: number; name: string; value: number }[];
  /** Steps at which the run starts over from its initial state (the protocol's clock back at 0). */
  restarts: number[];
}

export interface ScheduleSource {
  scene: Scene;
  /** Absolute step of the script's t = 0 (a recording's first step). */
  firstStep: number;
  steps: number;
  /** The recording's events, in order (absolute steps). */
  events: readonly InputEvent[];
  /** The state a recording starts from, when it starts mid-run. */
  start?: Snapshot;
}

export function inputSchedule(source: ScheduleSource): InputSchedule {
  const { scene, firstStep, steps, events } = source;
  const dt = scene.dtMs;
  const start = source.start;
  let protocol: Stimulus = start ? start.stimulus : scene.stimulus;
  let hand: DcSource[] = start ? start.hand : [];
  let origin = start ? start.origin : 0;

  const groups = driveGroups(scene.neurons, [protocol, hand, ...events.map(eventSources)]);
  const remapped = new Map<StimulusSource, DeterministicSource>();
  const inGroups = (sources: readonly StimulusSource[]): DeterministicSource[] =>
    sources.map((s) => {
      let mapped = remapped.get(s);
      if (!mapped) {
        mapped = deterministic(s);
        if (s.targets) mapped = { ...mapped, targets: [...new Set(s.targets.map((n) => groups.groupOf[n]!))] };
        remapped.set(s, mapped);
      }
      return mapped;
    });

  const count = groups.members.length;
  const current = new Float64Array(count);
  const drives = groups.members.map((neurons): Drive => ({ neurons, steps: [], values: [] }));
  const changes: InputSchedule['changes'] = [];
  const restarts: number[] = [];
  let next = 0;
  let protocolInGroups = inGroups(protocol);
  let handInGroups = inGroups(hand);
  for (let k = 0; k < steps; k++) {
    const step = firstStep + k;
    while (next < events.length && events[next]!.step <= step) {
      const event = events[next++]!;
      if (event.step < step) continue; // before the run (cannot happen in a valid recording)
      switch (event.kind) {
        case 'pulse':
        case 'hold':
        case 'release':
          hand = applyHandEvent(hand, event, dt);
          handInGroups = inGroups(hand);
          break;
        case 'set-stimulus':
          protocol = event.stimulus;
          protocolInGroups = inGroups(protocol);
          break;
        case 'set-param':
          changes.push({ step: k, name: event.name, value: event.value });
          break;
        case 'restart':
          origin = step;
          restarts.push(k);
          break;
      }
    }
    fillStimulus(protocolInGroups, (step - origin) * dt, current);
    if (handInGroups.length > 0) fillStimulus(handInGroups, step * dt, current, true);
    for (let g = 0; g < count; g++) {
      const drive = drives[g]!;
      const value = current[g]!;
      const last = drive.values.length === 0 ? 0 : drive.values[drive.values.length - 1]!;
      if (!Object.is(value, last)) {
        drive.steps.push(k);
        drive.values.push(value);
      }
    }
  }
  return { drives: drives.filter((d) => d.values.length > 0), changes, restarts };
}

/** The stimulus sources an event brings in (hand currents are dc sources). */
function eventSources(event: InputEvent): StimulusSource[] {
  if (event.kind === 'set-stimulus') return event.stimulus;
  if (event.kind === 'pulse' || event.kind === 'hold') return applyHandEvent([], event, 1);
  return [];
}

function deterministic(source: StimulusSource): DeterministicSource {
  if (source.kind === 'ou' || source.kind === 'poisson') {
    throw new ExportRefusal(
      `the stimulus has a "${source.kind}" noise source: Spikescope draws it from its own generator, step by step, and neither PyNN's NoisyCurrentSource nor a Poisson spike source is the same process; remove it to export`,
    );
  }
  return source;
}

/**
 * Splits the neurons by the set of targeted sources that drive them: every group is either wholly
 * inside or wholly outside each source's targets. Neurons no targeted source drives form one group
 * ('all' when it is every neuron).
 */
function driveGroups(neurons: number, sourceLists: readonly (readonly StimulusSource[])[]): { members: (number[] | 'all')[]; groupOf: Int32Array } {
  const signature = new Map<number, number[]>();
  let index = 0;
  for (const list of sourceLists) {
    for (const source of list) {
      if (source.targets) for (const n of source.targets) signature.set(n, [...(signature.get(n) ?? []), index]);
      index++;
    }
  }
  const groupOf = new Int32Array(neurons);
  const members: (number[] | 'all')[] = [];
  const byKey = new Map<string, number>();
  const driven = [...signature.keys()].sort((a, b) => a - b);
  if (driven.length < neurons) {
    members.push(driven.length === 0 ? 'all' : []);
    byKey.set('', 0);
  }
  const rest = members[0] === undefined || members[0] === 'all' ? null : (members[0] as number[]);
  if (rest) {
    const isDriven = new Uint8Array(neurons);
    for (const n of driven) isDriven[n] = 1;
    for (let n = 0; n < neurons; n++) if (!isDriven[n]) rest.push(n);
  }
  for (const n of driven) {
    const key = [...new Set(signature.get(n)!)].join(',');
    let group = byKey.get(key);
    if (group === undefined) {
      group = members.length;
      byKey.set(key, group);
      members.push([]);
    }
    groupOf[n] = group;
    (members[group] as number[]).push(n);
  }
  return { members, groupOf };
}
