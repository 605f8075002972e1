/**
 * A caption per scene, for a newcomer: what the views show, the protocol (written from the
 * scene's own stimulus, so it is always true), and two things to try.
 */
import type { Caption } from '../core/kernel.ts';
import { models } from '../core/models/index.ts';
import type { Scene } from '../core/scene.ts';
import { formatValue } from '../core/schema.ts';
import type { StimulusSource } from '../core/stimulus.ts';
import { loopsByDefault, POPULATION_ID } from './catalog.ts';

export type { Caption };

/** The caption as one text (status().caption). */
export function captionText(caption: Caption): string {
  return `What you see: ${caption.see} Protocol: ${caption.protocol} Try: 1) ${caption.tries[0]} 2) ${caption.tries[1]}`;
}

export function sceneCaption(scene: Scene): Caption {
  const unit = models[scene.model].inputUnit;
  const runs = loopsByDefault(scene) ? `${formatValue(scene.durationMs)} ms, then it starts over (loop protocol).` : 'the run goes on for as long as you let it.';
  const protocol = `${describeStimulus(scene.stimulus, unit, scene.neurons)}; ${runs}`;
  if (scene.id === POPULATION_ID) {
    // The page's own scene (catalog.ts), not a model's.
    return {
      see: `${scene.neurons} independent Izhikevich neurons: the raster has one row per neuron (or band of neurons); the drive grows down the rows; the scope shows neurons 0 and ${scene.neurons - 1}.`,
      protocol: 'a DC drive from 3 to 15 mV/ms across 500 bands, all modulated by a 1 Hz sine; the run goes on.',
      tries: ['turn the wheel over the raster to zoom its rows, drag to pan.', 'click a row, then press P to pulse that neuron.'],
    };
  }
  const own = models[scene.model].presentation.caption;
  if (own) return own(scene, protocol);
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
