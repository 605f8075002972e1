/**
 * A caption per scene, for a newcomer: what the views show, the protocol (written from the
 * scene's own stimulus, so it is always true), and two things to try.
 */
import { models } from '../core/models/index.ts';
import type { Scene } from '../core/scene.ts';
import { formatValue } from '../core/schema.ts';
import type { StimulusSource } from '../core/stimulus.ts';
import { loopsByDefault, POPULATION_ID } from './catalog.ts';

export interface Caption {
  see: string;
  protocol: string;
  tries: [string, string];
}

/** The caption as one text (status().caption). */
export function captionText(caption: Caption): string {
  return `What you see: ${caption.see} Protocol: ${caption.protocol} Try: 1) ${caption.tries[0]} 2) ${caption.tries[1]}`;
}

/** How a network's neurons are connected, in words. */
const WIRING: Record<Scene['connectivity']['kind'], string> = {
  ring: 'in a ring',
  random: 'randomly connected',
  'all-to-all': 'connected all to all',
  matrix: 'connected by a weight matrix',
  none: 'without synapses',
};

export function sceneCaption(scene: Scene): Caption {
  const unit = models[scene.model].inputUnit;
  const runs = loopsByDefault(scene) ? `${formatValue(scene.durationMs)} ms, then it starts over (loop protocol).` : 'the run goes on for as long as you let it.';
  const protocol = `${describeStimulus(scene.stimulus, unit, scene.neurons)}; ${runs}`;
  switch (scene.model) {
    case 'lif':
      return {
        see: 'one leaky integrate-and-fire neuron: its potential V (mV, relative to rest) climbs towards R·I, spikes at the 1 mV threshold and is held at 0 for 4 ms; below, the input current (nA).',
        protocol: `${protocol} The seed's spikes: 11, 26 and 41 ms.`,
        tries: ['set the refractory period to 20 ms: fewer spikes.', 'Stimulus → dc, amplitude 0.5 nA: R·I = 0.5 mV stays below threshold (silence); then press P for a pulse.'],
      };
    case 'lif-network':
      return {
        see: `${scene.neurons} LIF neurons ${WIRING[scene.connectivity.kind]}: the raster (top) has one row per neuron and a dot per spike, the population rate under it; the scope shows the potentials of neurons 0 and 1 (mV) and the synaptic current into neuron 1 (nA).`,
        protocol: scene.connectivity.kind === 'ring' ? `${protocol} Each spike drives the next neuron through an alpha-shaped synapse: activity travels round the ring.` : `${protocol} Each spike drives its targets through alpha-shaped synapses.`,
        tries: ['click a raster row to watch that neuron, then press P to pulse it.', 'change the synaptic time constant (tauPscMs): the wave travels at another speed.'],
      };
    case 'hh':
      return {
        see: 'the Hodgkin–Huxley squid axon: V in mV with rest at 0 mV (Hodgkin & Huxley 1952; today one writes V − 65 mV), the gates m, h, n (0 … 1) and the ionic currents (µA/cm²).',
        protocol: `${protocol} Repetitive action potentials.`,
        tries: ['set the sodium conductance (gNa) to 60: the spikes stop.', 'Stimulus → dc, amplitude 5 µA/cm²: the neuron rests; press P to fire one spike.'],
      };
    case 'izhikevich-2003':
      return {
        see: `${scene.neurons} Izhikevich neurons: the raster (top) has excitatory neurons in blue (the first 80 %) and inhibitory ones in red, with the population rate under it; the scope shows neuron 0's v and u (mV).`,
        protocol: 'random thalamic input to every neuron (5·randn to excitatory, 2·randn to inhibitory, redrawn every ms), no other stimulus; the network runs on (the input lane appears when you inject).',
        tries: ['watch the population rate for rhythms (alpha ~10 Hz, gamma ~40 Hz); set the inhibitory synapse weight to 0 and see them change.', 'click a raster row to probe that neuron, then press P to pulse it.'],
      };
    case 'izhikevich':
      if (scene.id === POPULATION_ID) {
        return {
          see: `${scene.neurons} independent Izhikevich neurons: the raster has one row per neuron (or band of neurons); the drive grows down the rows; the scope shows neurons 0 and ${scene.neurons - 1}.`,
          protocol: 'a DC drive from 3 to 15 mV/ms across 500 bands, all modulated by a 1 Hz sine; the run goes on.',
          tries: ['turn the wheel over the raster to zoom its rows, drag to pan.', 'click a row, then press P to pulse that neuron.'],
        };
      }
      return {
        see: `one Izhikevich neuron${scene.title ? ` — ${scene.title.replace(/^Izhikevich /, '')}` : ''}: its potential v and recovery variable u (mV, top), the input current (mV/ms, bottom).`,
        protocol,
        tries: ['press P for a current pulse (or hold I) and see how this pattern answers.', 'drag d (after-spike jump of u) or a (recovery rate) and watch the pattern change; reset puts the scene back.'],
      };
  }
  return genericCaption(scene, protocol);
}

/** A caption from the model's definition alone: its title, probes and units (models without a hand-written one). */
function genericCaption(scene: Scene, protocol: string): Caption {
  const model = models[scene.model];
  const probed = [...new Set(scene.probes.filter((p) => p.variable !== 'iExt').map((p) => p.variable))];
  const described = probed.map((name) => {
    const probe = model.probes.find((p) => p.name === name);
    return probe ? `${name} (${probe.doc}${probe.unit ? `, ${probe.unit}` : ''})` : name;
  });
  const who = scene.neurons > 1 ? `${scene.neurons} neurons of the ${model.title} model: the raster (top) has one row per neuron` : `one ${model.title} neuron${scene.title ? ` — ${scene.title}` : ''}`;
  const [first] = model.params.filter((p) => p.typical);
  const tries = model.presentation.tries ?? ['press P for a current pulse (or hold I) and see how the neuron answers.', `drag ${first ? `${first.name} (${first.label ?? first.doc})` : 'a parameter'} in the panel and watch the firing change; reset puts the scene back.`];
  return {
    see: `${who}; the scope shows ${described.join(', ') || 'its probes'} and the input current (${model.inputUnit}).`,
    protocol,
    tries: [...tries],
  };
}

/** The protocol in words: "14 mV/ms DC from 10 ms", "a ramp …", "no stimulus". */
export function describeStimulus(stimulus: readonly StimulusSource[], unit: string, neurons: number): string {
  if (stimulus.length === 0) return 'no stimulus';
  if (stimulus.length > 4) return `${stimulus.length} sources`;
  return stimulus.map((source) => describeSource(source, unit, neurons)).join(' + ');
}

function describeSource(source: StimulusSource, unit: string, neurons: number): string {
  const amount = (value: number): string => `${formatValue(value)} ${unit}`;
  const ms = (value: number): string => `${formatValue(Number(value.toPrecision(4)))} ms`;
  const window =
    source.startMs !== undefined && source.stopMs !== undefined
      ? ` from ${ms(source.startMs)} to ${ms(source.stopMs)}`
      : source.startMs !== undefined
        ? ` from ${ms(source.startMs)}`
        : source.stopMs !== undefined
          ? ` until ${ms(source.stopMs)}`
          : '';
  const who = source.targets && neurons > 1 ? ` into neuron${source.targets.length > 1 ? 's' : ''} ${source.targets.slice(0, 3).join(', ')}${source.targets.length > 3 ? '…' : ''}` : '';
  switch (source.kind) {
    case 'dc':
      return `${amount(source.amplitude)} DC${window}${who}`;
    case 'ramp':
      return `a ramp rising ${amount(source.amplitude)} every ${ms(source.rampMs)}${window}${who}`;
    case 'sine':
      return `a ${formatValue(source.frequencyHz)} Hz sine of ${amount(source.amplitude)}${window}${who}`;
    case 'pulses':
      return `${source.count ?? 'repeated'} pulses of ${amount(source.amplitude)}, ${ms(source.widthMs)} every ${ms(source.periodMs)}${window}${who}`;
    case 'ou':
      return `noise of mean ${amount(source.mean)} and spread ${amount(source.sigma)}${window}${who}`;
    case 'poisson':
      return `Poisson kicks of ${amount(source.amplitude)} at ${formatValue(source.rateHz)} Hz${window}${who}`;
  }
}
