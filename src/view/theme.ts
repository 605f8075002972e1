/** The lab's colours: a dark instrument look with phosphor-like traces. */
export const theme = {
  background: 0x0b0f14,
  panel: 0x10161e,
  grid: 0x1f2a36,
  gridMajor: 0x2c3b4b,
  axis: 0x4a5d72,
  label: 0x8fa3b8,
  text: 0xd7e1ea,
  accent: 0x53d3ff,
  warn: 0xffb347,
  /** The picked (target) neuron of a network: its raster row and its traces. */
  target: 0xff6fd8,
  /** Raster dots of excitatory and inhibitory neurons (Izhikevich 2003). */
  excitatory: 0x53b6ff,
  inhibitory: 0xff6b6b,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
} as const;

/** Colours by probe variable, then a cycle for further channels of the same variable. */
const BY_VARIABLE: Record<string, number> = {
  v: 0x7cfc9a,
  u: 0xffb347,
  m: 0xff6b6b,
  h: 0x6bc5ff,
  n: 0xc49bff,
  iNa: 0xff8f6b,
  iK: 0x5fd7ff,
  iL: 0xc8c8c8,
  iSyn: 0xff79c6,
  iExt: 0xf5d76e,
};
const CYCLE = [0x5ce1e6, 0xf78fb3, 0xd6a2ff, 0xf8c291, 0xe55039, 0xb8e994];

/** A colour for the k-th channel showing `variable` (the first keeps the variable's own colour). */
export function channelColor(variable: string, occurrence: number): number {
  const own = BY_VARIABLE[variable];
  if (occurrence === 0 && own !== undefined) return own;
  return CYCLE[Math.max(0, occurrence - (own === undefined ? 0 : 1)) % CYCLE.length]!;
}

export function cssColor(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}
