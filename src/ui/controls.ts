/**
 * The control panel (lil-gui): scene picker, run controls, record and replay (record, keep
 * traces, open a recording, take over, exports), hand injection, a stimulus panel,
 * the model's parameters — generated from its schema: name and unit in the label, min and max
 * as the slider's range, the doc line as tooltip — and the scope's time base and scales.
 *
 * The panel holds no state of its own: `build(model)` lays it out for a scene, `sync(model)`
 * shows the app's current values, and every change is emitted as an Intent at once (on each
 * change, not when a field loses focus, so that the app's values and the fields never differ
 * while the user types).
 */
import GUI, { type Controller } from 'lil-gui';
import type { ParamSpec } from '../core/schema.ts';
import type { LaneView } from '../view/oscilloscope.ts';
import { STIMULUS_KINDS, type Intent, type ScopeMode, type StimulusForm } from './intents.ts';

export interface PanelModel {
  scenes: { id: string; title: string }[];
  sceneId: string;
  description: string;
  speeds: readonly number[];
  run: { playing: boolean; speed: number; loop: boolean };
  modelTitle: string;
  params: { spec: ParamSpec; value: number }[];
  sweep?: { param: string; values: number[] };
  stimulus: StimulusForm;
  stimulusUnit: string;
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
  private scene = { scene: '', gallery: (): void => {} };
  private run = { play: (): void => {}, step: (): void => {}, speed: 1, loop: true, reset: (): void => {} };
  private hand = { amplitude: 1, durationMs: 1, target: 0, pulse: (): void => {}, inject: (): void => {} };
  private stimulus: StimulusForm = { kind: 'protocol', amplitude: 1, delayMs: 0, widthMs: 5, periodMs: 50, frequencyHz: 10, offset: 0, drive: 'all' };
  private params: Record<string, number> = {};
  private sweep = { value: 0 };
  private scope = { mode: 'roll' as ScopeMode, timePerDiv: 10, fullView: (): void => {} };
  private lanes: Record<string, { auto: boolean; lo: number; hi: number }> = {};
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
  private stimulusControllers: Partial<Record<keyof StimulusForm, Controller>> = {};
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
    this.copy(model);
    const emit = this.emit;

    const scene = this.folder('Scene');
    const choices = Object.fromEntries(model.scenes.map((s) => [`${s.id} — ${s.title}`, s.id]));
    this.tip(scene.add(this.scene, 'scene', choices).name('scene').onChange((id: string) => emit({ kind: 'load-scene', id })), model.description);
    this.scene.gallery = () => emit({ kind: 'open-gallery' });
    scene.add(this.scene, 'gallery').name('Izhikevich gallery (20 patterns)');
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

    const hand = this.folder('Hand injection');
    const sendHand = (): void => emit({ kind: 'hand', amplitude: this.hand.amplitude, durationMs: this.hand.durationMs });
    this.tip(hand.add(this.hand, 'amplitude').name(`amplitude (${model.stimulusUnit})`).onChange(sendHand), 'current of the pulse and of the held injection');
    this.tip(hand.add(this.hand, 'durationMs', 0.1, 100).name('pulse duration (ms)').onChange(sendHand), 'length of one pulse');
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

    const stimulus = this.folder('Stimulus');
    const sendStimulus = (): void => {
      this.showStimulusFields();
      emit({ kind: 'stimulus', form: { ...this.stimulus } });
    };
    const kinds = Object.fromEntries(STIMULUS_KINDS.map((k) => [k === 'protocol' ? "scene's protocol" : k, k]));
    this.tip(stimulus.add(this.stimulus, 'kind', kinds).name('type').onChange(sendStimulus), "the scene's own protocol, or a source that starts when applied").domElement.dataset.stimulus = 'kind';
    const unit = model.stimulusUnit;
    this.stimulusControllers = {
      amplitude: this.tip(stimulus.add(this.stimulus, 'amplitude').name(`amplitude (${unit})`).onChange(sendStimulus), 'height of the current'),
      delayMs: this.tip(stimulus.add(this.stimulus, 'delayMs', 0, 1000).name('start after (ms)').onChange(sendStimulus), 'delay from the moment it is applied'),
      widthMs: this.tip(stimulus.add(this.stimulus, 'widthMs', 0.1, 500).name('pulse width (ms)').onChange(sendStimulus), 'length of each pulse'),
      periodMs: this.tip(stimulus.add(this.stimulus, 'periodMs', 0.5, 2000).name('period / ramp time (ms)').onChange(sendStimulus), 'pulses: one every period; ramp: time to rise by the amplitude'),
      frequencyHz: this.tip(stimulus.add(this.stimulus, 'frequencyHz', 0.1, 500).name('frequency (Hz)').onChange(sendStimulus), 'sine frequency'),
      offset: this.tip(stimulus.add(this.stimulus, 'offset').name(`offset (${unit})`).onChange(sendStimulus), 'constant added to the sine'),
    };
    if (model.neurons > 1) {
      this.stimulusControllers.drive = this.tip(stimulus.add(this.stimulus, 'drive', { 'every neuron': 'all', 'target neuron': 'target' }).name('drive').onChange(sendStimulus), 'which neurons the source drives');
    }
    for (const [field, controller] of Object.entries(this.stimulusControllers)) controller.domElement.dataset.stimulus = field;
    this.showStimulusFields();
    stimulus.close();

    const params = this.folder(`Parameters — ${model.modelTitle}`);
    for (const { spec } of model.params) {
      const label = spec.unit ? `${spec.name} (${spec.unit})` : spec.name;
      const controller = params.add(this.params, spec.name, spec.min, spec.max, spec.integer ? 1 : undefined).name(label);
      controller.onChange((value: number) => emit({ kind: 'set-param', name: spec.name, value }));
      controller.domElement.dataset.param = spec.name;
      this.tip(controller, `${spec.doc} — ${spec.min} … ${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`);
    }

    const scope = this.folder('Oscilloscope');
    this.tip(scope.add(this.scope, 'mode', { roll: 'roll', 'spike-triggered': 'trigger' }).name('mode').onChange((mode: ScopeMode) => emit({ kind: 'scope-mode', mode })), 'roll: newest at the right; spike-triggered: sweeps start at spikes of the target neuron');
    const bases = Object.fromEntries(model.scope.timePerDivOptions.map((t) => [`${t} ms/div`, t]));
    scope.add(this.scope, 'timePerDiv', bases).name('time base').onChange((ms: number) => emit({ kind: 'time-per-div', ms }));
    for (const lane of model.scope.lanes) {
      const state = this.lanes[lane.key]!;
      const folder = scope.addFolder(`scale: ${lane.key === 'input' ? `input (${lane.unit})` : lane.unit || lane.key}`);
      folder.add(state, 'auto').name('auto scale').onChange((auto: boolean) => emit({ kind: 'lane', key: lane.key, auto }));
      folder.add(state, 'lo').name(`bottom (${lane.unit || '1'})`).onChange((lo: number) => emit({ kind: 'lane', key: lane.key, lo }));
      folder.add(state, 'hi').name(`top (${lane.unit || '1'})`).onChange((hi: number) => emit({ kind: 'lane', key: lane.key, hi }));
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
    this.showStimulusFields();
    for (const controller of this.gui.controllersRecursive()) controller.updateDisplay();
  }

  private copy(model: PanelModel): void {
    this.scene.scene = model.sceneId;
    this.record.traces = model.session.keepTraces;
    Object.assign(this.run, model.run);
    Object.assign(this.hand, model.hand);
    Object.assign(this.stimulus, model.stimulus);
    for (const { spec, value } of model.params) this.params[spec.name] = value;
    if (model.sweep) this.sweep.value = model.params.find((p) => p.spec.name === model.sweep!.param)?.value ?? model.sweep.values[0]!;
    this.scope.mode = model.scope.mode;
    this.scope.timePerDiv = model.scope.timePerDivMs;
    for (const lane of model.scope.lanes) {
      const state = (this.lanes[lane.key] ??= { auto: lane.auto, lo: lane.lo, hi: lane.hi });
      state.auto = lane.auto;
      state.lo = lane.lo;
      state.hi = lane.hi;
    }
  }

  private showStimulusFields(): void {
    const shown = new Set<keyof StimulusForm>(STIMULUS_FIELDS[this.stimulus.kind]);
    if (this.stimulus.kind !== 'protocol') shown.add('drive');
    for (const [key, controller] of Object.entries(this.stimulusControllers) as [keyof StimulusForm, Controller][]) controller.show(shown.has(key));
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
