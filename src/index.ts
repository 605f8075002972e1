/**
 * The engine of Spikescope, as the `spikescope` package exports it: scenes and the simulation
 * (`src/core`), the RxJS clocks and model operators (`src/stream`), and recording, replay and
 * exports (`src/session`). Runs in Node and in browsers: nothing here imports the DOM, Pixi or
 * a Node module. The Pixi views are `spikescope/view`; the command line is the `spikescope` bin.
 *
 * @module spikescope
 */

// Engine: scenes, models and their parameters, the simulation.
export { parseScene, stepCount, type Scene, type SceneInput, type ProbeRef, type Sweep } from './core/scene.ts';
export { builtinScene, builtinSceneIds } from './core/scenes.ts';
export { MODEL_IDS, type ModelId } from './core/models/index.ts';
export { InputError } from './core/schema.ts';
export { DEFAULT_LIMITS, LARGE_LIMITS, type Limits } from './core/limits.ts';
export { Simulation, LateEventError, type Frame } from './core/simulation.ts';
export { DivergenceError } from './core/kernel.ts';
export { parseEventLog, type Input, type InputEvent, type SetStateEvent } from './core/events.ts';
export { phasePlane, izhikevichSaddleNodeInput, type PhasePlane, type FixedPoint, type FixedPointKind, type IzhikevichConstants } from './core/phase-plane.ts';
export type { Stimulus } from './core/stimulus.ts';

// Streams: clocks, the model operator, statistics, whole runs.
export { virtualClock, type Tick } from './stream/clock.ts';
export { realtimeClock, type ClockControl, type RealtimeTick } from './stream/realtime.ts';
export { simulate, type SimFrame } from './stream/simulate.ts';
export { lif, lifNetwork, hodgkinHuxley, izhikevich, izhikevich2003, modelOperators } from './stream/models.ts';
export { frameStats, type Stats } from './stream/stats.ts';
export { RasterBins } from './stream/raster-bins.ts';
export { runScene, runSweep, type RunResult } from './stream/run.ts';

// Sessions: record, replay and verify, files, exports.
export { Recorder } from './session/recorder.ts';
export { parseRecording, RecordingError, type Recording } from './session/recording.ts';
export { encodeRecording, decodeRecording } from './session/file.ts';
export { verifyRecording, Replayer, type Verification } from './session/replay.ts';
export { tracesToCsv, spikesToCsv } from './session/export.ts';
