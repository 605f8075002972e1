/**
 * Axis arithmetic shared by the views: "nice" tick steps (1, 2, 5 × 10ⁿ), ranges that end on
 * ticks, and short labels. Pure functions, no Pixi.
 */

/** The 1-2-5 step nearest to range / targetTicks. */
export function niceStep(range: number, targetTicks: number): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, targetTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
  return nice * power;
}

/** Tick values inside [lo, hi] at a nice step (about `target` of them). */
export function niceTicks(lo: number, hi: number, target: number): { step: number; ticks: number[] } {
  const step = niceStep(hi - lo, target);
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9 && ticks.length < 100; k++) ticks.push(roundToStep(k * step, step));
  return { step, ticks };
}

/** [lo, hi] widened to whole ticks of a nice step, with a little headroom. */
export function niceRange(lo: number, hi: number, target = 5): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-12) {
    const pad = Math.max(Math.abs(hi) * 0.1, 1e-3);
    lo -= pad;
    hi += pad;
  }
  const pad = (hi - lo) * 0.08;
  const step = niceStep(hi - lo + 2 * pad, target);
  return [roundToStep(Math.floor((lo - pad) / step) * step, step), roundToStep(Math.ceil((hi + pad) / step) * step, step)];
}

function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 12)));
}

/** A tick label: as many decimals as the step needs, a true minus sign. */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const text = (Math.abs(value) < step * 1e-6 ? 0 : value).toFixed(decimals);
  return text.replace('-', '−');
}

/** A duration in ms as a short label: "0.5 ms", "20 ms", "1.5 s". */
export function formatMs(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  if (a >= 1000) return `${sign}${trim(a / 1000)} s`;
  return `${sign}${trim(a)} ms`;
}

function trim(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
