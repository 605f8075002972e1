/** The oscilloscope's channels for a scene's probes, and a frame's traces put in the scope's channel order. */
import { channelName, type ProbeRef, type Scene } from '../core/scene.ts';
import type { ScopeChannel } from '../view/oscilloscope.ts';
import { channelColor, theme } from '../view/theme.ts';
import { channelScale } from './catalog.ts';
import type { LiveFrame } from '../engine/live-run.ts';

/** The channels for `probes`; those of the `target` neuron (a network's picked neuron) take its colour, the raster's marker's. */
export function scopeChannels(scene: Scene, probes: readonly ProbeRef[], target?: number): ScopeChannel[] {
  const seen = new Map<string, number>();
  return probes.map((probe) => {
    const picked = probe.neuron === target && !scene.probes.some((p) => p.variable === probe.variable && p.neuron === probe.neuron);
    const occurrence = seen.get(probe.variable) ?? 0;
    if (!picked) seen.set(probe.variable, occurrence + 1);
    const scale = channelScale(scene, probe.variable, probe.neuron);
    return {
      name: channelName(scene, probe),
      variable: probe.variable,
      neuron: probe.neuron,
      unit: scale.unit,
      color: picked && probe.variable !== 'iExt' ? theme.target : channelColor(probe.variable, occurrence),
      lane: scale.lane,
      range: scale.range,
      autoScale: scale.autoScale,
      ...(scale.note ? { note: scale.note } : {}),
    };
  });
}

/**
 * The scope's channel names, and how the traces of the latest channel set map onto them. A frame
 * computed before a change of probes (a neuron picked while it was in flight) has the old
 * channels: they are matched by name.
 */
export class ScopeTraces {
  private names: string[] = [];
  private map: { channels: LiveFrame['frame']['channels']; index: (number | undefined)[] } | undefined;

  /** The scope's channels changed. */
  setChannels(channels: readonly ScopeChannel[]): void {
    this.names = channels.map((c) => c.name);
    this.map = undefined;
  }

  /** The frame's traces in the scope's channel order. */
  of(frame: LiveFrame['frame']): (Float64Array | undefined)[] {
    const channels = frame.channels;
    if (this.map?.channels !== channels) {
      const same = channels.length === this.names.length && channels.every((c, i) => c.name === this.names[i]);
      this.map = { channels, index: this.names.map((name, i) => (same ? i : channels.findIndex((c) => c.name === name))).map((i) => (i !== undefined && i >= 0 ? i : undefined)) };
    }
    return this.map.index.map((i) => (i === undefined ? undefined : frame.traces[i]));
  }
}
