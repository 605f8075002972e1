/** What the lab shows of its status under and over the views: the replay bar's model and the status line's fields. */
import type { Stats } from '../stream/stats.ts';
import type { ReplayBarModel, StatusFields } from '../ui/page.ts';
import type { ReplayInfo } from '../engine/protocol.ts';
import type { PageStatus } from './page-controller.ts';

/** The replay bar in replay mode (`replay`: the replay the run started as), else undefined (the bar hides). */
export function replayBarModel(s: PageStatus, replay: ReplayInfo | undefined): ReplayBarModel | undefined {
  const now = s.replay;
  return now && replay
    ? {
        sceneTitle: replay.scene.title ?? now.sceneId,
        identical: now.identical,
        digest: now.digest,
        message: now.message,
        firstStep: now.firstStep,
        endStep: now.endStep,
        step: now.step,
        dtMs: s.dtMs,
        playing: s.playing,
      }
    : undefined;
}

/** The status line: the session (recording or replay), time, speed, spikes, and the target neuron of a network. */
export function statusFields(s: PageStatus, stats: Stats | undefined, capped: boolean, network: boolean): StatusFields {
  // The pass time is the total one in a replay of a recording without restarts, and wherever nothing looped.
  const rec = s.recording;
  const replay = s.replay;
  return {
    ...(rec ? { session: { kind: 'rec' as const, timeMs: rec.timeMs, events: rec.events, forked: rec.forked } } : replay ? { session: { kind: 'replay' as const, identical: replay.identical } } : {}),
    scene: s.sceneId,
    timeMs: s.timeMs,
    totalTimeMs: s.totalTimeMs,
    warnings: s.warnings,
    realtimeFactor: s.playing ? s.realtimeFactor : 0,
    fps: s.playing ? s.fps : 0,
    spikeCount: s.spikeCount,
    rateHz: stats?.rateHz ?? 0,
    playing: s.playing,
    capped: s.playing && capped,
    threads: s.threads,
    wasm: s.wasm,
    ...(network ? { target: s.target } : {}),
  };
}
