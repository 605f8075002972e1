/** What the automation handle and main.ts need from a page (the lab or the gallery). */
import type { Intent } from '../ui/intents.ts';

export interface PageStatus {
  sceneId: string;
  /** Simulated time of the current pass of the protocol, ms (back to 0 when it loops). */
  timeMs: number;
  /** Simulated time since the scene was loaded, over every pass, ms. */
  totalTimeMs: number;
  spikeCount: number;
  /** The Pixi renderer's name; 'webgl' when WebGL works. */
  renderer: string;
  realtimeFactor: number;
  fps: number;
  playing: boolean;
  lastError: string | null;
  params: Record<string, number>;
  /** The scene's time step, ms. */
  dtMs: number;
  /** The neuron hand pulses go to. */
  target: number;
  neurons: number;
}

export interface PageController {
  /** Acts on an intent; invalid input is reported on the page (lastError and the banner), never thrown. */
  handle(intent: Intent): void;
  status(): PageStatus;
  /** Shows an error in the banner and in status().lastError. */
  reportError(error: unknown): void;
  frameProfile(): { totalMs: number[]; simMs: number[]; viewMs: number[] };
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
