/**
 * A recurrent network of LIF neurons coupled by alpha-shaped synaptic currents (seed program 2).
 *
 *   tau_m dV_i/dt = −V_i + R_m·(I_ext,i + I_syn,i)
 *   I_syn,i(t) = Σ_j W_ij Σ_spikes of j  s·exp(−s/tau_psc),   s = time since the presynaptic spike
 *
 * Reference: Dayan & Abbott, Theoretical Neuroscience, §5.8 (alpha synapses); Gerstner et al.,
 * Neuronal Dynamics, ch. 1. The neurons are those of ./lif.ts (same update, reset, refractoriness).
 *
 * The alpha kernel is the impulse response of two linear filters in cascade,
 *   x' = −x/tau_psc,   y' = −y/tau_psc + x,   a spike of neuron j adds W_ij to x_i,
 * so y_i = I_syn,i exactly, superposing every spike, without storing spike histories.
 * Both filters are advanced by their exact solution over a step:
 *   y ← (y + dt·x)·exp(−dt/tau_psc),   x ← x·exp(−dt/tau_psc).
 *
 * Order within step k: neuron i integrates with I_ext,i + y_i (the synaptic current at the start
 * of the step, as in the seed); then the filters decay over the step; then each spike of the step
 * adds its weights to x of its targets, so its current starts at 0 and rises, as s·exp(−s/tau_psc).
 * The neuron loop of lif.ts advances neuron i's filters right after reading y_i (LifKernel.synapticRise):
 * one pass over the neurons instead of two, the same operations.
 *
 * Seed quirks not copied: the seed notebook never reset V after a spike, counted only each
 * neuron's last spike, and started every neuron as if it had fired at t = −tau_ref. The last is
 * available as the choice `history: 'fired-at-minus-tau-ref'`; the default is no prior spikes.
 */
import { buildWeights, type Connectivity, type SparseWeights } from '../connectivity.ts';
import type { Kernel, KernelConfig, KernelState, ModelDefinition, SpikeBuffer } from '../kernel.ts';
import { assignState, copyState } from '../kernel.ts';
import { exp } from '../numerics/deterministic-math.ts';
import { Random } from '../random.ts';
import type { ChoiceSpec, ParamSchema, ParamValues } from '../schema.ts';
import { LIF_PROBES, LIF_STATE, LifKernel, lifMethod, lifParams, lifPlaneDefinition, lifStepBound } from './lif.ts';

/** Neurons of the seed's ring (program 2). */
const RING_SIZE = 50;

export const lifNetworkParams = [
  ...lifParams,
  { name: 'tauPscMs', label: 'synaptic time constant', unit: 'ms', default: 5, min: 0.01, max: 1000, typical: [0.5, 50], log: true, doc: 'tau_psc: rise and decay time of the alpha-shaped synaptic current' },
] as const satisfies ParamSchema;
export type LifNetworkParams = ParamValues<typeof lifNetworkParams>;

export type History = 'none' | 'fired-at-minus-tau-ref';
export const historyChoice: ChoiceSpec<History> = {
  name: 'history',
  choices: ['none', 'fired-at-minus-tau-ref'],
  default: 'none',
  doc: "spikes before t = 0: none, or the seed's start where every neuron fired at t = −tau_ref",
};

export class LifNetworkKernel implements Kernel {
  readonly size: number;
  readonly dtMs: number;
  readonly inputCurrent: Float64Array;
  readonly weights: SparseWeights;
  private readonly neurons: LifKernel;
  private tauPscMs: number;
  /** Rising and falling parts of the alpha filter; y is the synaptic current. */
  private readonly x: Float64Array;
  private readonly y: Float64Array;

  constructor(config: KernelConfig) {
    this.size = config.size;
    this.dtMs = config.dtMs;
    this.neurons = new LifKernel(config);
    // The neurons read the external input and the synaptic current y straight from these arrays.
    this.inputCurrent = this.neurons.inputCurrent;
    this.tauPscMs = config.params.tauPscMs!;
    this.weights = buildWeights(config.connectivity ?? { kind: 'none' }, this.size, new Random(config.seed));
    this.x = this.neurons.synapticRise;
    this.y = this.neurons.synapticCurrent;
    // exp(−dt/tau_psc), computed when tau_psc changes (not every step).
    this.neurons.synapticDecay = exp(-this.dtMs / this.tauPscMs);
    if (config.choices.history === 'fired-at-minus-tau-ref') {
      const s = config.params.tauRefMs!;
      const decay = exp(-s / this.tauPscMs);
      for (let j = 0; j < this.size; j++) this.addSpike(j, decay, s * decay);
    }
  }

  /** Adds neuron j's weights times (xGain, yGain) to its targets' filters. */
  private addSpike(j: number, xGain: number, yGain: number): void {
    const { offsets, targets, weights } = this.weights;
    for (let k = offsets[j]!; k < offsets[j + 1]!; k++) {
      this.x[targets[k]!]! += weights[k]! * xGain;
      this.y[targets[k]!]! += weights[k]! * yGain;
    }
  }

  step(step: number, spikes: SpikeBuffer): void {
    const x = this.x;
    const firstNew = spikes.length;
    // The neurons, and the filters' decay over the step (synapticRise).
    this.neurons.step(step, spikes);
    const { offsets, targets, weights } = this.weights;
    const spikeNeuron = spikes.neuron;
    for (let s = firstNew; s < spikes.length; s++) {
      const j = spikeNeuron[s]!;
      for (let k = offsets[j]!; k < offsets[j + 1]!; k++) x[targets[k]!]! += weights[k]!;
    }
  }

  /** Probes: v, then the synaptic current. */
  probe(probe: number, neuron: number): number {
    return probe === 0 ? this.neurons.probe(0, neuron) : this.y[neuron]!;
  }

  getParam(name: string): number {
    return name === 'tauPscMs' ? this.tauPscMs : this.neurons.getParam(name);
  }

  setParam(name: string, value: number): void {
    if (name === 'tauPscMs') {
      this.tauPscMs = value;
      this.neurons.synapticDecay = exp(-this.dtMs / value);
    } else {
      this.neurons.setParam(name, value);
    }
  }

  saveState(): KernelState {
    return { ...this.neurons.saveState(), ...copyState({ x: this.x, y: this.y }) };
  }

  restoreState(state: KernelState): void {
    const { x, y, ...neurons } = state;
    this.neurons.restoreState(neurons);
    assignState({ x: this.x, y: this.y }, { x: x!, y: y! });
  }
}

/** How the network's neurons are connected, in words (its caption). */
const WIRING: Record<Connectivity['kind'], string> = {
  ring: 'in a ring',
  random: 'randomly connected',
  'all-to-all': 'connected all to all',
  matrix: 'connected by a weight matrix',
  none: 'without synapses',
};

export const lifNetwork: ModelDefinition = {
  id: 'lif-network',
  title: 'LIF network with alpha synapses',
  summary: 'LIF neurons; I_syn,i = Σ_j W_ij Σ s·exp(−s/tau_psc) over presynaptic spikes (seed program 2)',
  params: lifNetworkParams,
  choices: [lifMethod, historyChoice],
  probes: [...LIF_PROBES, { name: 'iSyn', unit: 'nA', doc: 'synaptic current (alpha filter output)' }],
  inputUnit: 'nA',
  inputTypical: [-1, 10],
  network: true,
  work: 2,
  settableState: LIF_STATE,
  scenes: [
    {
      id: 'ring',
      title: 'Ring of 50 LIF neurons with alpha synapses',
      description: 'Seed program 2: neuron i is driven by neuron i−1; only neuron 0 receives external current (1.5 nA). Activity travels around the ring.',
      neurons: RING_SIZE,
      params: { tauPscMs: 5, spikeDelta: 0 },
      connectivity: { kind: 'ring', weight: 1 },
      stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0] }],
      dtMs: 0.125,
      durationMs: 700,
      probes: [
        { variable: 'v', neuron: 0 },
        { variable: 'v', neuron: 1 },
        { variable: 'iSyn', neuron: 1 },
      ],
    },
    {
      id: 'ring-sweep',
      title: 'Ring of 50 LIF neurons, swept over tau_psc = 6 … 25 ms',
      description: "Seed program 2's loop: the ring run once per synaptic time constant; the wave's speed depends on tau_psc.",
      neurons: RING_SIZE,
      params: { spikeDelta: 0 },
      connectivity: { kind: 'ring', weight: 1 },
      stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0] }],
      dtMs: 0.125,
      durationMs: 700,
      probes: [{ variable: 'v', neuron: 0 }],
      sweep: { param: 'tauPscMs', values: Array.from({ length: 20 }, (_, k) => 6 + k) },
    },
  ],
  plane: lifPlaneDefinition(['iExt', 'iSyn']),
  presentation: {
    hand: { amplitude: 10, durationMs: 2 },
    frameCost: 1.5,
    caption: (scene, protocol) => ({
      see: `${scene.neurons} LIF neurons ${WIRING[scene.connectivity.kind]}: the raster (top) has one row per neuron and a dot per spike, the population rate under it; the scope shows the potentials of neurons 0 and 1 (mV) and the synaptic current into neuron 1 (nA).`,
      protocol: scene.connectivity.kind === 'ring' ? `${protocol} Each spike drives the next neuron through an alpha-shaped synapse: activity travels round the ring.` : `${protocol} Each spike drives its targets through alpha-shaped synapses.`,
      tries: ['click a raster row to watch that neuron, then press P to pulse it.', 'change the synaptic time constant (tauPscMs): the wave travels at another speed.'],
    }),
  },
  stepBound: lifStepBound,
  create: (config) => new LifNetworkKernel(config),
};
