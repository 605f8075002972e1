/**
 * The control panel (lil-gui): scene picker, run controls, the model's parameters, hand
 * injection, record and replay (record, keep traces, open a recording, take over, exports), a
 * stimulus panel and the scope's time base and scales. Every number field is a ParamField
 * generated from its schema entry: human label, symbol and unit, the one-line explanation, a
 * slider over the typical range and a text field checked by the app like any input.
 *
 * The panel holds no state of its own: `build(model)` lays it out for a scene, `sync(model)`
 * shows the app's current values, and every change is emitted as an Intent at once (on each
 * change, not when a field loses focus, so that the app's values and the fields never differ
 * while the user types).
 */
import GUI, { type Controller } from 'lil-gui';
import type { ParamSpec } from '../core/schema.ts';
import type { LaneView } from '../view/oscilloscope.ts';
import { STIMULUS_KINDS, type Intent, type ScopeMode, type StimulusForm, type Typed } from './intents.ts';
import { ParamField } from './param-field.ts';

type StimulusNumber = Exclude<keyof StimulusForm, 'kind' | 'drive'>;

/** A scale's bottom or top, as typed: any finite value (the scope refuses an empty range). */
function laneSpec(end: 'lo' | 'hi', unit: string): ParamSpec {
  return { name: end, label: end === 'lo' ? 'bottom' : 'top', unit: unit || '1', default: 0, min: -1e9, max: 1e9, doc: `the ${end === 'lo' ? 'bottom' : 'top'} of the lane's scale (fixes it: auto scale goes off)` };
}

export interface PanelModel {
  scenes: { id: string; title: string }[];
  sceneId: string;
  description: string;
  speeds: readonly number[];
  /** The galleries the panel offers: a model id and the button's label. */
  galleries: { model: string; label: string }[];
  run: { playing: boolean; speed: number; loop: boolean };
  modelTitle: string;
  params: { spec: ParamSpec; value: number }[];
  sweep?: { param: string; values: number[] };
  stimulus: StimulusForm;
  stimulusSpecs: Record<StimulusNumber, ParamSpec>;
  handSpecs: { amplitude: ParamSpec; durationMs: ParamSpec };
  hand: { amplitude: number; durationMs: number; target: number };
  neurons: number;
  scope: { mode: ScopeMode; timePerDivMs: number; timePerDivOptions: number[]; lanes: LaneView[] };
  session: { recording: boolean; keepTraces: boolean; replay: boolean };
}

type Emit = (intent: Intent) => void;

/** Fields of the stimulus form shown for each kind. */
const STIMULUS_FIELDS: Record<StimulusForm['kind'], (keyof StimulusForm)[]> = {
  protocol: [],
  off: [],
  dc: ['amplitude', 'delayMs'],
  pulses: ['amplitude', 'delayMs', 'widthMs', 'periodMs'],
  ramp: ['amplitude', 'delayMs', 'periodMs'],
  sine: ['amplitude', 'delayMs', 'frequencyHz', 'offset'],
};

export class ControlPanel {
  readonly gui: GUI;
  private readonly emit: Emit;
  private scene: Record<string, unknown> & { scene: string } = { scene: '' };
  private run = { play: (): void => {}, step: (): void => {}, speed: 1, loop: true, reset: (): void => {} };
  private hand = { amplitude: 1, durationMs: 1, target: 0, pulse: (): void => {}, inject: (): void => {} };
  private stimulus: StimulusForm = { kind: 'protocol', amplitude: 1, delayMs: 0, widthMs: 5, periodMs: 50, frequencyHz: 10, offset: 0, drive: 'all' };
  private sweep = { value: 0 };
  private scope = { mode: 'roll' as ScopeMode, timePerDiv: 10, fullView: (): void => {} };
  private lanes: Record<string, { auto: boolean }> = {};
  private record = {
    record: (): void => {},
    traces: false,
    open: (): void => {},
    takeOver: (): void => {},
    traceCsv: (): void => {},
    spikeCsv: (): void => {},
    png: (): void => {},
    pynn: (): void => {},
  };
  private recordButton: Controller | undefined;
  private takeOverButton: Controller | undefined;
  private playButton: Controller | undefined;
  private stimulusFields: Partial<Record<StimulusNumber, ParamField>> = {};
  private driveController: Controller | undefined;
  /** The number fields by key: `param:<name>`, `hand:<field>`, `lane:<key>:lo|hi`. */
  private readonly fields = new Map<string, ParamField>();
  private folders: GUI[] = [];

  constructor(container: HTMLElement, emit: Emit) {
    this.emit = emit;
    this.gui = new GUI({ container, title: 'Spikescope', width: 300, injectStyles: false });
    this.gui.domElement.classList.add('spikescope-panel');
  }

  /** Lays the panel out for a scene. */
  build(model: PanelModel): void {
    for (const folder of this.folders) folder.destroy();
    this.folders = [];
    this.fields.clear();
    this.copy(model);
    const emit = this.emit;

    const scene = this.folder('Scene');
    const choices = Object.fromEntries(model.scenes.map((s) => [`${s.id} — ${s.title}`, s.id]));
    this.tip(scene.add(this.scene, 'scene', choices).name('scene').onChange((id: string) => emit({ kind: 'load-scene', id })), model.description);
    for (const { model: id, label } of model.galleries) {
      this.scene[`gallery:${id}`] = () => emit({ kind: 'open-gallery', model: id });
      scene.add(this.scene, `gallery:${id}`).name(label);
    }
    if (model.sweep) {
      const sweep = model.sweep;
      this.tip(
        scene.add(this.sweep, 'value', sweep.values).name(`sweep ${sweep.param}`).onChange((value: number) => emit({ kind: 'set-param', name: sweep.param, value })),
        `the scene sweeps ${sweep.param} over ${sweep.values.length} values; live, pick one`,
      );
    }

    const run = this.folder('Run');
    this.run.play = () => emit({ kind: 'toggle-play' });
    this.run.step = () => emit({ kind: 'step', steps: 1 });
    this.run.reset = () => emit({ kind: 'reset' });
    this.playButton = run.add(this.run, 'play');
    this.tip(run.add(this.run, 'step').name('single step'), 'compute one time step (also while paused)');
    const speeds = Object.fromEntries(model.speeds.map((s) => [`${s}×`, s]));
    this.tip(run.add(this.run, 'speed', speeds).name('speed (× real time)').onChange((speed: number) => emit({ kind: 'speed', speed })), 'simulated time per wall-clock time');
    this.tip(run.add(this.run, 'loop').name('loop protocol').onChange((on: boolean) => emit({ kind: 'loop', on })), 'at the end of the protocol go back to t = 0; off: run on with the last stimulus');
    this.tip(run.add(this.run, 'reset').name('reset (t = 0, scene values)'), 'restart the scene with its own parameters and stimulus');

    const params = this.folder(`Parameters — ${model.modelTitle}`);
    for (const { spec, value } of model.params) {
      const field = new ParamField(params, spec, value, (typed) => emit({ kind: 'set-param', name: spec.name, value: typed }));
      field.element.dataset.param = spec.name;
      this.fields.set(`param:${spec.name}`, field);
    }

    const hand = this.folder('Hand injection');
    const sendHand =
      (key: 'amplitude' | 'durationMs') =>
      (typed: number | string): void =>
        emit({ kind: 'hand', amplitude: this.hand.amplitude, durationMs: this.hand.durationMs, [key]: typed });
    for (const key of ['amplitude', 'durationMs'] as const) {
      const field = new ParamField(hand, model.handSpecs[key], this.hand[key], sendHand(key), { explain: false });
      field.element.dataset.hand = key;
      this.fields.set(`hand:${key}`, field);
    }
    if (model.neurons > 1) {
      this.tip(hand.add(this.hand, 'target', 0, model.neurons - 1, 1).name('target neuron').onChange((neuron: number) => emit({ kind: 'pick', neuron })), 'the neuron that receives hand pulses (click a raster row)');
    }
    this.hand.pulse = () => emit({ kind: 'pulse' });
    this.tip(hand.add(this.hand, 'pulse').name('⚡ pulse  [P]'), 'one pulse of the amplitude and duration above, at the next step');
    const inject = hand.add(this.hand, 'inject').name('◉ hold to inject  [I]');
    this.tip(inject, 'injects the amplitude above while pressed');
    const button = (inject.domElement.querySelector('button') ?? inject.domElement) as HTMLElement;
    inject.domElement.classList.add('spikescope-inject');
    button.addEventListener('pointerdown', (e) => {
      button.setPointerCapture?.(e.pointerId);
      emit({ kind: 'hold' });
    });
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) button.addEventListener(type, () => emit({ kind: 'release' }));

    const record = this.folder('Record & replay');
    this.record.record = () => emit({ kind: 'record' });
    this.record.open = () => emit({ kind: 'open-recording' });
    this.record.takeOver = () => emit({ kind: 'take-over' });
    this.record.traceCsv = () => emit({ kind: 'export', what: 'traces' });
    this.record.spikeCsv = () => emit({ kind: 'export', what: 'spikes' });
    this.record.png = () => emit({ kind: 'export', what: 'png' });
    this.record.pynn = () => emit({ kind: 'export', what: 'pynn' });
    this.recordButton = this.tip(record.add(this.record, 'record'), 'record the session (scene, every input and the output) to replay it exactly; stop to download it');
    this.recordButton.domElement.dataset.record = 'toggle';
    this.tip(record.add(this.record, 'traces').name('keep traces').onChange((on: boolean) => emit({ kind: 'record-traces', on })), "store the probed traces in the recording too (spikes and the output's digest are always kept)").domElement.dataset.record = 'traces';
    this.tip(record.add(this.record, 'open').name('⤒ open recording…'), 'replay a recording file (.json.gz or .json); you can also drop it on the page').domElement.dataset.record = 'open';
    this.takeOverButton = this.tip(record.add(this.record, 'takeOver').name('take over (go on live)'), 'leave the replay at this step: the run goes on live and records a fork that keeps the history before it');
    this.takeOverButton.domElement.dataset.record = 'take-over';
    this.tip(record.add(this.record, 'traceCsv').name('⤓ traces CSV'), 'time and every probe, units in the header: of the recording or replay, else of what the views hold').domElement.dataset.export = 'traces';
    this.tip(record.add(this.record, 'spikeCsv').name('⤓ spikes CSV'), 'time and neuron of each spike: of the recording or replay, else of what the views hold').domElement.dataset.export = 'spikes';
    this.tip(record.add(this.record, 'png').name('⤓ PNG of the views'), 'an image of the oscilloscope and raster as shown').domElement.dataset.export = 'png';
    this.tip(
      record.add(this.record, 'pynn').name('⤓ PyNN script'),
      'a Python script that runs the recording or replay — else the scene, with its parameters and stimulus in force — on NEURON (also under mpirun) and Brian2, as the CLI\'s export writes it',
    ).domElement.dataset.export = 'pynn';

    const stimulus = this.folder('Stimulus');
    const sendStimulus = (change: Partial<Typed<StimulusForm>> = {}): void => {
      emit({ kind: 'stimulus', form: { ...this.stimulus, ...change } });
      this.showStimulusFields();
    };
    const kinds = Object.fromEntries(STIMULUS_KINDS.map((k) => [k === 'protocol' ? "scene's protocol" : k, k]));
    this.tip(stimulus.add(this.stimulus, 'kind', kinds).name('type').onChange(() => sendStimulus()), "the scene's own protocol, or a source that starts when applied and runs on (the loop stops)").domElement.dataset.stimulus = 'kind';
    this.stimulusFields = {};
    for (const [key, spec] of Object.entries(model.stimulusSpecs) as [StimulusNumber, ParamSpec][]) {
      const field = new ParamField(stimulus, spec, this.stimulus[key], (typed) => sendStimulus({ [key]: typed }), { explain: false });
      field.element.dataset.stimulus = key;
      this.stimulusFields[key] = field;
    }
    this.driveController = undefined;
    if (model.neurons > 1) {
      this.driveController = this.tip(stimulus.add(this.stimulus, 'drive', { 'every neuron': 'all', 'target neuron': 'target' }).name('drive').onChange(() => sendStimulus()), 'which neurons the source drives');
      this.driveController.domElement.dataset.stimulus = 'drive';
    }
    this.showStimulusFields();
    stimulus.close();

    const scope = this.folder('Oscilloscope');
    this.tip(scope.add(this.scope, 'mode', { roll: 'roll', 'spike-triggered': 'trigger' }).name('mode').onChange((mode: ScopeMode) => emit({ kind: 'scope-mode', mode })), 'roll: newest at the right; spike-triggered: sweeps start at spikes of the target neuron');
    const bases = Object.fromEntries(model.scope.timePerDivOptions.map((t) => [`${t} ms/div`, t]));
    scope.add(this.scope, 'timePerDiv', bases).name('time base').onChange((ms: number) => emit({ kind: 'time-per-div', ms }));
    for (const lane of model.scope.lanes) {
      const state = this.lanes[lane.key]!;
      const folder = scope.addFolder(`scale: ${lane.key === 'input' ? `input (${lane.unit})` : lane.unit || lane.key}`);
      folder.add(state, 'auto').name('auto scale').onChange((auto: boolean) => emit({ kind: 'lane', key: lane.key, auto }));
      for (const end of ['lo', 'hi'] as const) {
        const spec = laneSpec(end, lane.unit);
        const field = new ParamField(folder, spec, lane[end], (typed) => emit({ kind: 'lane', key: lane.key, [end]: typed }), { explain: false, slider: false });
        this.fields.set(`lane:${lane.key}:${end}`, field);
      }
      folder.close();
    }
    if (model.neurons > 1) {
      this.scope.fullView = () => emit({ kind: 'raster-full-view' });
      scope.add(this.scope, 'fullView').name('raster: show all neurons');
    }
    scope.close();
    this.sync(model);
  }

  /** Shows the app's current values. */
  sync(model: PanelModel): void {
    this.copy(model);
    this.playButton?.name(model.run.playing ? '❚❚ pause  [Space]' : '▶ play  [Space]');
    const { recording, replay } = model.session;
    this.recordButton?.name(recording ? '■ stop recording  [R]' : replay ? '● take over and record  [R]' : '● record  [R]');
    this.recordButton?.domElement.classList.toggle('recording', recording);
    this.takeOverButton?.enable(replay);
    for (const { spec, value } of model.params) this.fields.get(`param:${spec.name}`)?.set(value);
    this.fields.get('hand:amplitude')?.set(model.hand.amplitude);
    this.fields.get('hand:durationMs')?.set(model.hand.durationMs);
    for (const [key, field] of Object.entries(this.stimulusFields) as [StimulusNumber, ParamField][]) field.set(model.stimulus[key]);
    for (const lane of model.scope.lanes) {
      this.fields.get(`lane:${lane.key}:lo`)?.set(lane.lo);
      this.fields.get(`lane:${lane.key}:hi`)?.set(lane.hi);
    }
    this.showStimulusFields();
    for (const controller of this.gui.controllersRecursive()) controller.updateDisplay();
  }

  private copy(model: PanelModel): void {
    this.scene.scene = model.sceneId;
    this.record.traces = model.session.keepTraces;
    Object.assign(this.run, model.run);
    Object.assign(this.hand, model.hand);
    Object.assign(this.stimulus, model.stimulus);
    if (model.sweep) this.sweep.value = model.params.find((p) => p.spec.name === model.sweep!.param)?.value ?? model.sweep.values[0]!;
    this.scope.mode = model.scope.mode;
    this.scope.timePerDiv = model.scope.timePerDivMs;
    for (const lane of model.scope.lanes) {
      const state = (this.lanes[lane.key] ??= { auto: lane.auto });
      state.auto = lane.auto;
    }
  }

  private showStimulusFields(): void {
    const shown = new Set<keyof StimulusForm>(STIMULUS_FIELDS[this.stimulus.kind]);
    for (const [key, field] of Object.entries(this.stimulusFields) as [StimulusNumber, ParamField][]) field.show(shown.has(key));
    this.driveController?.show(this.stimulus.kind !== 'protocol');
  }

  private folder(title: string): GUI {
    const folder = this.gui.addFolder(title);
    this.folders.push(folder);
    return folder;
  }

  private tip(controller: Controller, text: string): Controller {
    controller.domElement.title = text;
    return controller;
  }
}
