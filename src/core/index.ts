/**
 * The engine's public entry for Node scripts (no DOM, no RxJS): scenes, the simulation driver,
 * input events, the models, and the phase plane of a neuron.
 */
export { parseEvent, parseEventLog, type InputEvent, type SetStateEvent } from './events.ts';
export { models, MODEL_IDS, type ModelId } from './models/index.ts';
export { setNeuronState, settableState } from './neuron-state.ts';
export {
  classify,
  hhReductionError,
  HH_REDUCTION,
  izhikevich2003Neuron,
  izhikevichSaddleNodeInput,
  type IzhikevichConstants,
  phasePlane,
  planeProbes,
  planeState,
  type FixedPoint,
  type FixedPointKind,
  type Nullcline,
  type PhasePlane,
  type PlaneRange,
} from './phase-plane.ts';
export { parseScene, type Scene } from './scene.ts';
export { builtinScene, builtinSceneIds } from './scenes.ts';
export { Simulation, type Frame } from './simulation.ts';
