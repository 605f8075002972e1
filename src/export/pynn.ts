/**
 * Exports a scene or a recording as a self-contained Python script that runs it on NEURON (also
 * under MPI) and on Brian2, through PyNN where PyNN's standard cells can express it: the scene's
 * parameters with their units and Spikescope names, the synapses exactly as the engine built them
 * (read from the engine's own builders, packed into the script), the stimulus and a recording's
 * hand input as step-wise currents, and a small command line. docs/scale-out.md explains every
 * mapping and shows the measured agreement.
 *
 * Pure: a scene or recording in, the script's text out (no Node APIs), so the page and the CLI
 * export the same text. What the exporter cannot express faithfully is refused with an
 * ExportRefusal naming it — never dropped: unknown parameters and options (a newer engine's) too.
 */
import type { InputEvent } from '../core/events.ts';
import { LifNetworkKernel } from '../core/models/lif-network.ts';
import { Izhikevich2003Kernel } from '../core/models/izhikevich-2003.ts';
import { stepCount, type Scene } from '../core/scene.ts';
import { Simulation, type Snapshot } from '../core/simulation.ts';
import { APP_VERSION, snapshotOf, type Recording } from '../session/recording.ts';
import { inputSchedule, type InputSchedule } from './input-schedule.ts';
import { IZHIKEVICH_MECHANISM, LIF_MECHANISM } from './nmodl.ts';
import { packArray, UNPACK_PYTHON, type PackedArray } from './packed-array.ts';
import { COMMON_PYTHON, HH_PYTHON, IZHIKEVICH_PYTHON, LIF_PYTHON } from './pynn-runtime.ts';
import { ExportRefusal } from './refusal.ts';

export { ExportRefusal } from './refusal.ts';

export interface PyNNExport {
  /** A file name for the script: spikescope-<scene>.py. */
  fileName: string;
  text: string;
}

/** How each model's parameters read in the script: the unit the script gives them and what they map to. */
interface ParamMapping {
  unit: string;
  note: string;
}

interface ModelMapping {
  params: Record<string, ParamMapping>;
  /** The options the exporter knows, with the values it exports. */
  options: Record<string, readonly string[]>;
}

const LIF_PARAMS: Record<string, ParamMapping> = {
  rm: { unit: 'MΩ', note: 'membrane resistance R_m (τ_m = rm·cm) → IF_curr_alpha tau_m = rm·cm' },
  cm: { unit: 'nF', note: 'membrane capacitance C_m → IF_curr_alpha cm' },
  vThreshold: { unit: 'mV', note: 'spike threshold → v_thresh' },
  vReset: { unit: 'mV', note: 'potential after a spike and while refractory → v_reset' },
  tauRefMs: { unit: 'ms', note: 'absolute refractory period → tau_refrac' },
  spikeDelta: { unit: 'mV', note: 'display only (added to the spike step\'s sample): no effect on the run, not exported' },
  v0: { unit: 'mV', note: 'membrane potential at t = 0 → initial v' },
};

const MAPPINGS: Partial<Record<Scene['model'], ModelMapping>> = {
  lif: { params: LIF_PARAMS, options: { method: ['euler', 'exact'] } },
  'lif-network': {
    params: {
      ...LIF_PARAMS,
      tauPscMs: { unit: 'ms', note: 'alpha synapse time constant τ_psc → tau_syn_E = tau_syn_I, PyNN weight w = W·τ_psc/e' },
    },
    options: { method: ['euler', 'exact'], history: ['none', 'fired-at-minus-tau-ref'] },
  },
  izhikevich: {
    params: {
      a: { unit: 'ms⁻¹', note: 'rate of the recovery variable u → Izhikevich a' },
      b: { unit: '', note: 'sensitivity of u to v → Izhikevich b' },
      c: { unit: 'mV', note: 'v after a spike → Izhikevich c' },
      d: { unit: 'mV', note: 'added to u after a spike → Izhikevich d' },
      vPeak: { unit: 'mV', note: 'spike cut-off (PyNN\'s Izhikevich: 30)' },
      k2: { unit: 'mV⁻¹·ms⁻¹', note: 'quadratic coefficient of v′ (PyNN\'s Izhikevich: 0.04)' },
      k1: { unit: 'ms⁻¹', note: 'linear coefficient of v′ (PyNN: 5)' },
      k0: { unit: 'mV/ms', note: 'constant term of v′ (PyNN: 140)' },
      uVOffset: { unit: 'mV', note: 'u′ = a·(b·(v − uVOffset) − uLeak·u) (PyNN: 0)' },
      uLeak: { unit: '', note: 'weight of −u in u′ (PyNN: 1)' },
      v0: { unit: 'mV', note: 'v at t = 0 → initial v' },
      u0: { unit: 'mV', note: 'u at t = 0 → initial u' },
    },
    options: {},
  },
  'izhikevich-2003': {
    params: {
      excitatoryFraction: { unit: '', note: 'neurons 0 … round(fraction·N) − 1 are excitatory (their a, b, c, d below)' },
      thalamicExcitatory: { unit: 'mV/ms', note: 'σ of the thalamic input of excitatory neurons (PyNN: ×0.001 nA)' },
      thalamicInhibitory: { unit: 'mV/ms', note: 'σ of the thalamic input of inhibitory neurons' },
      thalamicHoldMs: { unit: 'ms', note: 'the thalamic input is redrawn every thalamicHoldMs (whole steps) and held' },
      weightExcitatory: { unit: 'mV', note: 'a synapse from an excitatory neuron moves v by weightExcitatory·U' },
      weightInhibitory: { unit: 'mV', note: 'a synapse from an inhibitory neuron moves v by −weightInhibitory·U' },
      fanIn: { unit: '', note: "presynaptic neurons per neuron (connectivity 'sparse'; the synapses below)" },
    },
    options: { connectivity: ['dense', 'sparse'], stepping: ['euler', 'paper'] },
  },
  hh: {
    params: {
      gNa: { unit: 'mS/cm²', note: 'maximal sodium conductance → hh gnabar (S/cm²)' },
      gK: { unit: 'mS/cm²', note: 'maximal potassium conductance → hh gkbar' },
      gL: { unit: 'mS/cm²', note: 'leak conductance → hh gl' },
      eNa: { unit: 'mV', note: 'sodium reversal, rest at 0 → ena = eNa − 65' },
      eK: { unit: 'mV', note: 'potassium reversal, rest at 0 → ek = eK − 65' },
      eL: { unit: 'mV', note: 'leak reversal, rest at 0 → el_hh = eL − 65 (NEURON\'s default −54.3 is not the seed\'s)' },
      cm: { unit: 'µF/cm²', note: 'membrane capacitance → cm' },
      v0: { unit: 'mV', note: 'v at t = 0, rest at 0 (gates at steady state) → finitialize(v0 − 65)' },
      vSpikeThreshold: { unit: 'mV', note: 'a spike is an upward crossing (rest at 0) → NetCon threshold − 65' },
    },
    options: { method: ['rk4', 'euler', 'exponential-euler'] },
  },
};

/** Parameters a recording may change while it runs, per model (the others are refused, with the reason). */
const CHANGEABLE: Partial<Record<Scene['model'], Record<string, string | null>>> = {
  lif: { rm: null, cm: null, vThreshold: null, vReset: null, tauRefMs: null, spikeDelta: null, v0: null },
  'lif-network': { rm: null, cm: null, vThreshold: null, vReset: null, tauRefMs: null, spikeDelta: null, v0: null, tauPscMs: null },
  izhikevich: { a: null, b: null, c: null, d: null, vPeak: null, k2: null, k1: null, k0: null, uVOffset: null, uLeak: null, v0: null, u0: null },
  'izhikevich-2003': {
    thalamicExcitatory: null,
    thalamicInhibitory: null,
    thalamicHoldMs: null,
    excitatoryFraction: 'it redraws every neuron\'s a, b, c, d and the synapses while the run goes on',
    fanIn: 'it redraws the synapses while the run goes on',
    weightExcitatory: 'it rescales every synapse while the run goes on (NEURON and Brian2 keep fixed synaptic weights)',
    weightInhibitory: 'it rescales every synapse while the run goes on (NEURON and Brian2 keep fixed synaptic weights)',
  },
  hh: { gNa: null, gK: null, gL: null, eNa: null, eK: null, eL: null, cm: null, v0: null, vSpikeThreshold: 'NEURON cannot move a spike detector\'s threshold during a run' },
};

/** What to export: a scene (with its sweep, if any), or a recording (one run with its input events). */
interface ExportPlan {
  scene: Scene;
  source: 'scene' | 'recording';
  firstStep: number;
  steps: number;
  events: readonly InputEvent[];
  start: Snapshot | undefined;
}

function isRecording(input: Scene | Recording): input is Recording {
  return (input as Recording).format === 'spikescope-recording';
}

function planOf(input: Scene | Recording): ExportPlan {
  if (isRecording(input)) {
    // A start state is checked against a fresh simulation's (its fields, types and sizes).
    const start = input.start ? snapshotOf(input, new Simulation(input.scene).snapshot()) : undefined;
    const scene = start ? { ...input.scene, params: { ...input.scene.params, ...start.params } } : input.scene;
    return { scene, source: 'recording', firstStep: input.firstStep, steps: input.steps, events: input.events, start };
  }
  return { scene: input, source: 'scene', firstStep: 0, steps: stepCount(input), events: [], start: undefined };
}

/** Refuses what the exporter does not know or cannot express, naming it. */
function checkSupported(plan: ExportPlan): void {
  const { scene } = plan;
  const mapping = MAPPINGS[scene.model];
  if (!mapping) throw new ExportRefusal(`model "${scene.model}" is not exported: the PyNN exporter covers ${Object.keys(MAPPINGS).join(', ')}`);
  const known = Object.keys(mapping.params);
  for (const name of Object.keys(scene.params)) {
    if (!known.includes(name)) {
      throw new ExportRefusal(`params.${name} is not known to the PyNN exporter for ${scene.model} (it maps ${known.join(', ')}): exporting without it would change the run silently`);
    }
  }
  for (const [name, value] of Object.entries(scene.options)) {
    const values = mapping.options[name];
    if (!values) {
      throw new ExportRefusal(`options.${name} is not known to the PyNN exporter for ${scene.model} (it exports ${Object.keys(mapping.options).join(', ') || 'no options'})`);
    }
    if (!values.includes(value)) throw new ExportRefusal(`options.${name} = "${value}" is not exported (the exporter knows ${values.join(', ')})`);
  }
  if (scene.sweep && !known.includes(scene.sweep.param)) throw new ExportRefusal(`the sweep over ${scene.sweep.param} is not exported`);
  for (const event of plan.events) {
    if (event.kind !== 'set-param') continue;
    const reason = CHANGEABLE[scene.model]?.[event.name];
    if (reason === undefined) throw new ExportRefusal(`the recording changes ${event.name} at step ${event.step}, which the exporter does not know`);
    if (reason !== null) throw new ExportRefusal(`the recording changes ${event.name} at step ${event.step}: not exported, because ${reason}`);
  }
  const setState = plan.events.find((e) => e.kind === 'set-state');
  if (setState?.kind === 'set-state') {
    throw new ExportRefusal(`the recording sets the state of neuron ${setState.neuron} at step ${setState.step} (a click in the phase plane): not exported (the scripts set their cells' state only at the start)`);
  }
  if (scene.model === 'hh' && plan.events.some((e) => e.kind === 'restart')) {
    throw new ExportRefusal('the recording restarts the run (the page\'s loop): NEURON\'s hh cannot start over in the middle of a run; record without the loop');
  }
  if (scene.model === 'lif-network' && scene.options.history !== 'none' && plan.events.some((e) => e.kind === 'restart')) {
    throw new ExportRefusal('the recording restarts a network whose neurons start as if they had fired (history option): not exported');
  }
}

// --- Python text -----------------------------------------------------------------------------

/** A number as Python reads it back to the same double. */
function py(value: number): string {
  if (!Number.isFinite(value)) throw new ExportRefusal(`a value of ${value} cannot be exported`);
  return Object.is(value, -0) ? '-0.0' : String(value);
}

function pyString(text: string): string {
  return JSON.stringify(text).replace(/\\u2028|\\u2029/g, ' ');
}

/**
 * Text a scene may set to anything (its title, its description) in the script's docstring: no
 * control character, no backslash escape, no end of the docstring.
 */
function docText(text: string): string {
  return text
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"""/g, "'''");
}

/** A list short enough to read stays a list; longer ones are packed. */
const INLINE_MAX = 48;

type PyArray = { inline: string } | { packed: PackedArray };

async function pyArray(values: ArrayLike<number>, dtype: 'int' | 'float'): Promise<PyArray> {
  if (values.length <= INLINE_MAX) return { inline: `[${Array.from(values, py).join(', ')}]` };
  if (dtype === 'int') return { packed: await packArray(Int32Array.from(values), '<i4') };
  return { packed: await packArray(Float64Array.from(values), '<f8') };
}

/** Packed arrays go to the data section at the end of the script; the text refers to them by name. */
class DataSection {
  private readonly entries: string[] = [];
  private count = 0;

  add(array: PyArray, hint: string): string {
    if ('inline' in array) return array.inline;
    const name = `${hint}_${this.count++}`;
    this.entries.push(`${name} = ${packedText(array.packed)}`);
    return `Data('${name}')`;
  }

  addPacked(packed: PackedArray, hint: string): string {
    return this.add({ packed }, hint);
  }

  get text(): string {
    return this.entries.join('\n');
  }
}

function packedText([dtype, count, text]: PackedArray): string {
  return `(${pyString(dtype)}, ${count}, ${pyString(text)})`;
}

function paramLines(scene: Scene): string {
  const mapping = MAPPINGS[scene.model]!.params; // checkSupported refused models without a mapping
  const names = Object.keys(mapping).filter((name) => name in scene.params);
  const width = Math.max(...names.map((name) => `'${name}': ${py(scene.params[name]!)},`.length));
  return names
    .map((name) => {
      const entry = `'${name}': ${py(scene.params[name]!)},`;
      const { unit, note } = mapping[name]!;
      return `    ${entry.padEnd(width)}  # ${unit ? unit.padEnd(10) : ''.padEnd(10)} ${note}`;
    })
    .join('\n');
}

async function drivesText(schedule: InputSchedule, data: DataSection, unit: string): Promise<string> {
  if (schedule.drives.length === 0) return 'DRIVES = []   # no external current';
  const lines: string[] = [];
  for (const drive of schedule.drives) {
    const neurons = drive.neurons === 'all' ? `'all'` : data.add(await pyArray(drive.neurons, 'int'), 'neurons');
    const steps = data.add(await pyArray(drive.steps, 'int'), 'steps');
    const values = data.add(await pyArray(drive.values, 'float'), 'values');
    lines.push(`    {'neurons': ${neurons}, 'steps': ${steps}, 'values': ${values}},`);
  }
  return `# The external current (${unit}) of each group of neurons: values[k] from step steps[k] on, until the
# next change (step k runs from k·dt to (k+1)·dt with the stimulus at k·dt, as in the engine).
DRIVES = [
${lines.join('\n')}
]`;
}

function changesText(schedule: InputSchedule): string {
  const changes = schedule.changes.map((c) => `(${c.step}, ${pyString(c.name)}, ${py(c.value)})`);
  const restarts = schedule.restarts.map(String);
  return `CHANGES = [${changes.join(', ')}]   # (step, parameter, value): the recording's set-param events, from that step on
RESTARTS = [${restarts.join(', ')}]   # steps at which the run starts over from its initial state (the page's loop)`;
}

// --- models ------------------------------------------------------------------------------------

interface ModelText {
  /** Lines of the scene section after the parameters. */
  scene: string;
  /** The runtime part of the model. */
  runtime: string;
  /** Name = text of the NMODL mechanisms the script carries. */
  mechanisms: Record<string, string>;
  cells: string[];
  cellsHelp: string;
  /** (simulator, cells) pairs this scene cannot run, with the reason. */
  refused: Record<string, string>;
  standardDtMs?: number;
  /** Docstring paragraphs: how the model maps. */
  notes: string[];
}

/** Packs the sparse synapses of an engine's builder: counts per presynaptic neuron, targets as differences. */
async function packSynapses(offsets: Int32Array, targets: Int32Array, data: DataSection): Promise<{ count: string; post: string }> {
  const n = offsets.length - 1;
  const counts = new Int32Array(n);
  for (let j = 0; j < n; j++) counts[j] = offsets[j + 1]! - offsets[j]!;
  const differences = new Int32Array(targets.length);
  for (let k = 0; k < targets.length; k++) differences[k] = targets[k]! - (k === 0 ? 0 : targets[k - 1]!);
  return { count: data.addPacked(await packArray(counts, '<i4'), 'count'), post: data.addPacked(await packArray(differences, '<i4'), 'post') };
}

async function lifText(plan: ExportPlan, data: DataSection): Promise<ModelText> {
  const { scene } = plan;
  const network = scene.model === 'lif-network';
  const lines: string[] = [];
  let start = 'START = None   # every neuron starts at v0, with no synaptic current';
  const refused: Record<string, string> = {};
  if (network && scene.connectivity.kind !== 'none') {
    // The engine's own builder (src/core/connectivity.ts), from the scene's seed: the same synapses.
    const kernel = new LifNetworkKernel({ size: scene.neurons, dtMs: scene.dtMs, params: scene.params, choices: scene.options, seed: scene.seed, connectivity: scene.connectivity });
    const { offsets, targets, weights } = kernel.weights;
    const packed = await packSynapses(offsets, targets, data);
    const weight = data.addPacked(await packArray(weights, '<f8'), 'weight');
    lines.push(`# Synapses as the engine built them from the seed (${scene.connectivity.kind}; ${weights.length} synapses): for presynaptic neuron j,
# count[j] synapses onto the neurons post (written as differences from the synapse before), with weight W in
# nA/ms: a spike of j gives its targets the current W·s·exp(−s/τ_psc) nA, s the ms since the spike.
SYNAPSES = {'count': ${packed.count}, 'post': ${packed.post}, 'weight': ${weight}}`);
    if (scene.options.history === 'fired-at-minus-tau-ref' && !plan.start) {
      const state = kernel.saveState();
      start = `# The neurons start as if every one had fired at t = −tauRefMs (history option): the alpha filters' state.
START = {'x': ${data.addPacked(await packArray(state.x as Float64Array, '<f8'), 'x')}, 'y': ${data.addPacked(await packArray(state.y as Float64Array, '<f8'), 'y')}}`;
      refused['neuron standard'] = refused['brian2 standard'] = 'PyNN cannot start an alpha synapse with current in it (the history option): use --cells spikescope';
    }
  } else {
    lines.push('SYNAPSES = None');
  }
  if (plan.start) {
    const k = plan.start.kernel;
    const entries = ['v', 'x', 'y', 'refractorySteps', 'refractoryMs'].filter((name) => k[name] !== undefined && (network || !['x', 'y'].includes(name)));
    const names: Record<string, string> = { v: 'v', x: 'x', y: 'y', refractorySteps: 'refsteps', refractoryMs: 'refms' };
    const parts: string[] = [];
    for (const name of entries) parts.push(`'${names[name]}': ${data.addPacked(await packArray(Float64Array.from(k[name] as ArrayLike<number>), '<f8'), names[name]!)}`);
    start = `# The recording starts mid-run: each neuron's state at its first step.
START = {${parts.join(', ')}}`;
  }
  lines.push(start);
  if (scene.options.method === 'exact') refused['brian2 spikescope'] = 'the exact LIF update solves each crossing inside the step, which Brian2\'s branch-free abstract code does not express: use --simulator neuron, or --cells standard';
  const notes = [
    `Spikescope's LIF numbers are read as mV, nA, MΩ, nF and ms: τ_m = rm·cm = ${py(scene.params.rm! * scene.params.cm!)} ms (${py(scene.params.rm!)} MΩ × ${py(scene.params.cm!)} nF), inputs in nA.`,
    "--cells spikescope (default): NEURON runs the engine's update in an NMODL artificial cell (SpikescopeLIF below), Brian2 as abstract code: the engine's spikes, step for step." +
      (network ? " A spike's weight enters the alpha filter at the end of its step (NEURON: a NetCon of delay dt/2)." : ''),
    "--cells standard: PyNN's IF_curr_alpha (v_rest = 0), integrated by the simulator: the same model, not the engine's discretisation." +
      (network ? ' PyNN needs a delay: the synapses act one engine step after the spike, which the engine\'s alpha current does not wait for, and w = W·τ_psc/e nA. NEURON steps dt/2 (under MPI the delay must exceed its step).' : ''),
  ];
  return {
    scene: lines.join('\n'),
    runtime: LIF_PYTHON,
    mechanisms: { SpikescopeLIF: LIF_MECHANISM },
    cells: ['spikescope', 'standard'],
    cellsHelp: "spikescope: the engine's own update (default); standard: PyNN's IF_curr_alpha",
    refused,
    standardDtMs: scene.dtMs / 2,
    notes,
  };
}

/**
 * The largest step that divides dt, is at most 0.1 ms and at most dt/2: NEURON's implicit step of
 * v′ = 0.04v² + … is stable up to the 30 mV peak below ~0.13 ms, and under MPI NEURON needs the
 * synapses' delay (one engine step) above its step.
 */
function izhikevichStandardDt(dtMs: number): number {
  return dtMs / Math.max(2, Math.ceil(dtMs / 0.1 - 1e-9));
}

async function izhikevichText(plan: ExportPlan, data: DataSection): Promise<ModelText> {
  const { scene } = plan;
  const refused: Record<string, string> = {};
  const lines: string[] = [];
  const notes: string[] = [];
  if (scene.model === 'izhikevich') {
    lines.push('NETWORK = None   # one set of constants for every neuron (P above); no synapses', 'SYNAPSES = None');
    const standard: Record<string, number> = { k2: 0.04, k1: 5, k0: 140, uVOffset: 0, uLeak: 1, vPeak: 30 };
    const different = Object.keys(standard).filter((name) => scene.params[name] !== standard[name]);
    if (different.length > 0) {
      const reason = `PyNN's Izhikevich cell fixes v′ = 0.04v² + 5v + 140 − u + I, u′ = a(bv − u) and the 30 mV peak; this scene changes ${different
        .map((name) => `${name} (${py(scene.params[name]!)})`)
        .join(', ')}: use --cells spikescope`;
      refused['neuron standard'] = refused['brian2 standard'] = reason;
    }
    if (plan.events.some((e) => e.kind === 'set-param' && e.name in standard)) {
      refused['neuron standard'] = refused['brian2 standard'] = "the recording changes a constant PyNN's Izhikevich cell fixes: use --cells spikescope";
    }
  } else {
    // The engine's own builder (src/core/models/izhikevich-2003.ts), from the scene's seed.
    const kernel = new Izhikevich2003Kernel({ size: scene.neurons, dtMs: scene.dtMs, params: scene.params, choices: scene.options, seed: scene.seed });
    const abcd: string[] = [];
    for (const name of ['a', 'b', 'c', 'd'] as const) abcd.push(`'${name}': ${data.addPacked(await packArray(kernel[name], '<f8'), name)}`);
    lines.push(`# Each neuron's a, b, c, d, drawn by the engine from the seed (neurons 0 … ${kernel.excitatory - 1} excitatory).
NETWORK = {'excitatory': ${kernel.excitatory}, ${abcd.join(', ')}}`);
    let count: string;
    let post: string;
    let uniform: string;
    let scale: number;
    if (kernel.connectivity === 'sparse') {
      const n = kernel.synapses;
      const targets = new Int32Array(n);
      const drawn = new Uint32Array(n);
      for (let k = 0; k < n; k++) {
        targets[k] = kernel.synapseTarget[2 * k]!;
        drawn[k] = Math.round(kernel.synapseWeight[2 * k + 1]! * 2 ** 24); // 24-bit uniforms: exact
      }
      ({ count, post } = await packSynapses(kernel.offsets, targets, data));
      uniform = data.addPacked(await packArray(drawn, '<u4'), 'uniform');
      scale = 2 ** -24;
    } else {
      const n = scene.neurons;
      const offsets = Int32Array.from({ length: n + 1 }, (_, j) => j * n);
      const targets = Int32Array.from({ length: n * n }, (_, k) => k % n);
      ({ count, post } = await packSynapses(offsets, targets, data));
      uniform = data.addPacked(await packArray(kernel.denseWeights, '<f8'), 'uniform');
      scale = 1;
    }
    lines.push(`# Synapses as the engine built them from the seed (${kernel.connectivity}; ${kernel.synapses} synapses): for presynaptic
# neuron j, count[j] synapses onto the neurons post (as differences from the synapse before), each with its
# uniform draw U = uniform·uniformScale; the weight (the jump of the target's v) is weightExcitatory·U or −weightInhibitory·U.
SYNAPSES = {'count': ${count}, 'post': ${post}, 'uniform': ${uniform}, 'uniformScale': ${py(scale)}}`);
    refused['brian2 standard'] = "PyNN 0.10's Brian2 Izhikevich resets every neuron with the first neuron's c and d, and this network's differ: use --cells spikescope, or --simulator neuron";
    if (scene.options.stepping === 'paper') {
      refused['neuron standard'] = refused['brian2 standard'] =
        "stepping 'paper' is the paper's own 1 ms discretisation (two half steps of v, one of u), which PyNN's Izhikevich cell, integrated by the simulator, does not follow (it fires ~10 % less than the equations integrated finely): use --cells spikescope";
    }
    notes.push(
      "The thalamic noise is a different random stream from Spikescope's (a counter-based hash of seed, neuron and draw on NEURON; Brian2's randn; numpy per neuron for --cells standard): compare rates, not spikes.",
    );
  }
  let start = 'START = None';
  if (plan.start) {
    const k = plan.start.kernel;
    const parts = [`'v': ${data.addPacked(await packArray(Float64Array.from(k.v as ArrayLike<number>), '<f8'), 'v')}`, `'u': ${data.addPacked(await packArray(Float64Array.from(k.u as ArrayLike<number>), '<f8'), 'u')}`];
    if (scene.model === 'izhikevich-2003') {
      const holdLeft = (k.counters as number[])[1]!;
      parts.push(
        `'z': ${data.addPacked(await packArray(Float64Array.from(k.thalamic as ArrayLike<number>), '<f8'), 'z')}`,
        `'kick': ${data.addPacked(await packArray(Float64Array.from(k.synaptic as ArrayLike<number>), '<f8'), 'kick')}`,
        `'holdleft': ${data.addPacked(await packArray(new Float64Array(scene.neurons).fill(holdLeft), '<f8'), 'holdleft')}`,
      );
    }
    start = `# The recording starts mid-run: each neuron's state at its first step.
START = {${parts.join(', ')}}`;
  }
  lines.push(start);
  notes.unshift(
    "--cells spikescope (default): NEURON runs the engine's forward Euler (v from the old v and u, u from the new v) in an NMODL artificial cell (SpikescopeIzhikevich below), Brian2 as abstract code: the engine's spikes, step for step. The presets' firing patterns are properties of that Euler step at their dt (docs/scale-out.md).",
    `--cells standard: PyNN's Izhikevich cell (input in nA into 1 pF: 1 mV/ms = 0.001 nA), integrated by the simulator at STANDARD_DT_MS = ${py(izhikevichStandardDt(scene.dtMs))} ms: the same equations, not the engine's discretisation.`,
  );
  return {
    scene: lines.join('\n'),
    runtime: IZHIKEVICH_PYTHON,
    mechanisms: { SpikescopeIzhikevich: IZHIKEVICH_MECHANISM },
    cells: ['spikescope', 'standard'],
    cellsHelp: "spikescope: the engine's own update (default); standard: PyNN's Izhikevich cell",
    refused,
    standardDtMs: izhikevichStandardDt(scene.dtMs),
    notes,
  };
}

async function hhText(plan: ExportPlan, data: DataSection): Promise<ModelText> {
  const { scene } = plan;
  let start = 'START = None';
  if (plan.start) {
    const k = plan.start.kernel;
    const parts: string[] = [];
    for (const name of ['v', 'm', 'h', 'n']) parts.push(`'${name}': ${data.addPacked(await packArray(Float64Array.from(k[name] as ArrayLike<number>), '<f8'), name)}`);
    start = `# The recording starts mid-run: each neuron's state (v with rest at 0) at its first step.
START = {${parts.join(', ')}}`;
  }
  const method = scene.options.method ?? 'rk4';
  return {
    scene: start,
    runtime: HH_PYTHON,
    mechanisms: {},
    cells: ['hh'],
    cellsHelp: "NEURON's built-in hh mechanism (the only choice)",
    refused: {
      'brian2 hh':
        "this scene runs on NEURON's built-in hh mechanism (the 1952 squid axon; PyNN's HH_cond_exp is Traub and Miles' model, not this one): use --simulator neuron",
    },
    notes: [
      "PyNN's HH_cond_exp is a different model (Traub–Miles): the script runs NEURON's built-in hh mechanism, the 1952 model with V shifted by −65 mV, at celsius = 6.3 (Q10 factor 1), without its rate tables, integrated by CVODE (rtol = atol = 1e-8).",
      method === 'rk4'
        ? "Spikescope integrated this scene with RK4; both are within ~0.01 ms of the exact solution's spike times."
        : `Spikescope integrated this scene with ${method} at dt = ${py(scene.dtMs)} ms, NEURON integrates the same equations accurately: spike times differ by that method's own error.`,
    ],
  };
}

// --- the script ---------------------------------------------------------------------------------

export async function exportPyNN(input: Scene | Recording): Promise<PyNNExport> {
  const plan = planOf(input);
  checkSupported(plan);
  const { scene } = plan;
  const schedule = inputSchedule({ scene, firstStep: plan.firstStep, steps: plan.steps, events: plan.events, ...(plan.start && { start: plan.start }) });
  const data = new DataSection();
  const model = scene.model === 'hh' ? await hhText(plan, data) : scene.model === 'lif' || scene.model === 'lif-network' ? await lifText(plan, data) : await izhikevichText(plan, data);
  if (plan.firstStep > 0 || schedule.restarts.length > 0) {
    for (const simulator of ['neuron', 'brian2']) {
      model.refused[`${simulator} standard`] ??= plan.firstStep > 0 ? 'PyNN cannot start its cells from a recorded mid-run state: use --cells spikescope' : 'PyNN cannot restart its cells in the middle of a run (the page\'s loop): use --cells spikescope';
    }
  }
  const id = scene.id ?? 'scene';
  const fileName = `spikescope-${id.replace(/[^A-Za-z0-9_.-]+/g, '-')}${plan.source === 'recording' ? '-recording' : ''}.py`;
  const unit = scene.model === 'hh' ? 'µA/cm²' : scene.model.startsWith('izhikevich') ? 'mV/ms' : 'nA';
  const runLines = [
    `  python3 ${fileName} --simulator neuron                  # NEURON, one process`,
    `  mpirun -np 4 python3 ${fileName} --simulator neuron     # NEURON over 4 MPI processes: the same spikes`,
    ...(model.refused[`brian2 ${model.cells[0]}`] ? [] : [`  python3 ${fileName} --simulator brian2                  # Brian2 (numpy code generation)`]),
    `  options: ${model.cells.length > 1 ? `--cells ${model.cells.join('|')}  ` : ''}--duration MS  --out spikes.json${model.cells.includes('standard') ? '  --dt MS (standard cells)' : ''}`,
  ];
  const header = `#!/usr/bin/env python3
"""${docText((scene.title ?? id).replace(/\n/g, " "))}

Exported from Spikescope ${APP_VERSION} (${plan.source === 'recording' ? `a recording of scene "${docText(id)}", steps ${plan.firstStep} to ${plan.firstStep + plan.steps - 1}` : `scene "${docText(id)}"`}).
${scene.description ? wrap(docText(scene.description)) + '\n' : ''}
${runLines.join('\n')}

The spikes come out as JSON, as Spikescope's "cli run" writes them: {"spikes": {"timeMs": [...], "neuron": [...]}, ...}.

${model.notes.map((note) => wrap(note)).join('\n\n')}

Needs numpy, and NEURON 8 (with nrnivmodl and a C compiler for the Spikescope cells) or Brian2 2.5;
PyNN 0.10 for --cells standard. Every number below has its unit and Spikescope's name; Spikescope's
docs/scale-out.md explains each mapping and the measured agreement.
"""
import argparse
import base64
import json
import math
import os
import sys
import time
import zlib

import numpy as np


class Data:
    """An array packed in the data section at the end of this file, by name (unpacked where it is used)."""

    def __init__(self, name):
        self.name = name


SCENE = ${pyString(id)}
TITLE = ${pyString(scene.title ?? id)}
MODEL = ${pyString(scene.model)}
NEURONS = ${scene.neurons}
DT_MS = ${py(scene.dtMs)}   # dtMs: the engine's time step; step k runs from k·dt to (k+1)·dt
STEPS = ${plan.steps}   # ${plan.source === 'recording' ? 'the recording\'s steps' : `durationMs = ${py(scene.durationMs)} ms`}
FIRST_STEP = ${plan.firstStep}   # the scene's step at the script's t = 0 (a recording may start mid-run); output times are the scene's
SEED = ${scene.seed}   # seed: the engine drew the structure below from it

# The model's parameters, by their Spikescope names (${scene.model}):
P = {
${paramLines(scene)}
}
OPTIONS = ${JSON.stringify(scene.options)}
SWEEP = ${scene.sweep ? `{'param': ${pyString(scene.sweep.param)}, 'values': [${scene.sweep.values.map(py).join(', ')}]}   # one run per value` : 'None'}

# The scene's stimulus protocol, as Spikescope describes it (the drives below are its values):
# ${JSON.stringify(plan.start ? plan.start.stimulus : scene.stimulus)}
${await drivesText(schedule, data, unit)}
${changesText(schedule)}

${model.scene}

CELLS = (${model.cells.map(pyString).join(', ')}${model.cells.length === 1 ? ',' : ''})
CELLS_HELP = ${pyString(model.cellsHelp)}
# (simulator, cells) combinations this scene cannot run, and why:
REFUSED = {${Object.entries(model.refused)
    .map(([key, reason]) => `(${key.split(' ').map(pyString).join(', ')}): ${pyString(reason)}`)
    .join(',\n           ')}}
${model.standardDtMs !== undefined ? `STANDARD_DT_MS = ${py(model.standardDtMs)}   # integration step of --cells standard (ms)` : ''}
`;
  const mechanisms = Object.entries(model.mechanisms)
    .map(([name, text]) => `${name === 'SpikescopeLIF' ? 'LIF_NMODL' : 'IZHIKEVICH_NMODL'} = r'''${text}'''`)
    .join('\n\n');
  const text = [
    header,
    UNPACK_PYTHON,
    COMMON_PYTHON,
    model.runtime,
    mechanisms ? `\n# The NMODL mechanisms of the Spikescope cells (compiled by nrnivmodl on the first run).\n${mechanisms}\n` : '',
    `\n# =============================================================================================\n# Data: the packed arrays named above\n# =============================================================================================\n${data.text}\n`,
    `\nif __name__ == '__main__':\n    main()\n`,
  ].join('\n');
  return { fileName, text };
}

function wrap(text: string, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
