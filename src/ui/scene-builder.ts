/**
 * The scene builder: a collapsible lil-gui panel (closed by default, under the control panel)
 * that edits a whole scene — model, neurons, parameters, options, connectivity, the stimulus
 * list, dt, duration, seed, probes — and applies it (the run restarts with it), saves it as a
 * scene file, opens one, and copies a share link.
 *
 * Nothing here is written per model: the fields come from the schemas — the registered models
 * (`models`: their parameters and choices), the scene's numbers (`sceneFields`), the connectivity
 * kinds and their fields (`connectivityFieldSpecs`), the source kinds and their fields
 * (`sourceFields`, `stimulusFieldSpecs`). Values are kept as typed and checked by parseScene when
 * applied, so a bad one is refused with the field named (the banner) and the running scene goes on.
 */
import GUI from 'lil-gui';
import { CONNECTIVITY_FIELDS, CONNECTIVITY_KINDS, connectivityFieldSpecs } from '../core/connectivity.ts';
import { MODEL_IDS, models, type ModelId } from '../core/models/index.ts';
import { probeNames, sceneFields, type Scene } from '../core/scene.ts';
import type { ParamSpec } from '../core/schema.ts';
import { currentSpec, sourceFields, STIMULUS_KINDS, stimulusFieldSpecs, type StimulusField, type StimulusSource } from '../core/stimulus.ts';
import type { Intent } from './intents.ts';
import { ParamField } from './param-field.ts';

type Typed = number | string;
/** A scene as the builder edits it: values as typed; targets and probes as text. */
export interface SceneDraft {
  model: ModelId;
  neurons: Typed;
  params: Record<string, Typed>;
  options: Record<string, string>;
  connectivity: { kind: string; weights?: number[][]; [field: string]: unknown };
  stimulus: { kind: StimulusSource['kind']; targets: string; [field: string]: unknown }[];
  dtMs: Typed;
  durationMs: Typed;
  seed: Typed;
  probes: string;
}

/** The draft of a scene. */
export function draftOf(scene: Scene): SceneDraft {
  const { targets: _t, ...connectivity } = scene.connectivity as Scene['connectivity'] & { targets?: unknown };
  return {
    model: scene.model,
    neurons: scene.neurons,
    params: { ...scene.params },
    options: { ...scene.options },
    connectivity: structuredClone(connectivity),
    stimulus: scene.stimulus.map(({ targets, ...source }) => ({ ...source, targets: targets ? rangesText(targets) : '' })),
    dtMs: scene.dtMs,
    durationMs: scene.durationMs,
    seed: scene.seed,
    probes: scene.probes.map((p) => `${p.variable}[${p.neuron}]`).join(', '),
  };
}

/** The draft as scene input for parseScene (text fields turned into lists where they read as such; else left as text, which parseScene refuses naming the field). */
export function sceneInputOf(draft: SceneDraft): Record<string, unknown> {
  const network = models[draft.model].network === true;
  const input: Record<string, unknown> = {
    title: `Your scene: ${models[draft.model].title.split(':')[0]}`,
    model: draft.model,
    neurons: draft.neurons,
    params: draft.params,
    options: draft.options,
    stimulus: draft.stimulus.map(({ targets, ...source }) => (targets.trim() === '' ? source : { ...source, targets: parseRanges(targets) })),
    dtMs: draft.dtMs,
    durationMs: draft.durationMs,
    seed: draft.seed,
    probes: parseProbes(draft.probes),
  };
  if (network) input.connectivity = draft.connectivity;
  // A scene built here is the user's own: no built-in id (whose caption and title would describe another scene).
  return input;
}

/** "0-4, 7" → [0, 1, 2, 3, 4, 7]; text that does not read so is returned as is (at most 1 000 000 indices). */
export function parseRanges(text: string): number[] | string {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(part);
    if (!m) return text;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || out.length + (to - from) > 1e6) return text;
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out;
}

/** [0, 1, 2, 3, 7] → "0-3, 7". */
export function rangesText(list: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j]! + 1) j++;
    parts.push(j > i ? `${list[i]}-${list[j]}` : String(list[i]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** "v[0], iExt[3]" → probe list; text that does not read so is returned as is. */
function parseProbes(text: string): unknown {
  if (text.trim() === '') return undefined;
  const out: { variable: string; neuron: number }[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([A-Za-z]\w*)(?:\[(\d+)\])?$/.exec(part);
    if (!m) return text;
    out.push({ variable: m[1]!, neuron: Number(m[2] ?? 0) });
  }
  return out;
}

type Emit = (intent: Intent) => void;

export class SceneBuilder {
  readonly gui: GUI;
  private draft: SceneDraft | undefined;
  private folders: GUI[] = [];
  private readonly actions = {
    apply: (): void => this.emit({ kind: 'apply-scene', scene: sceneInputOf(this.draft!) }),
    fromRun: (): void => this.emit({ kind: 'edit-current-scene' }),
    save: (): void => this.emit({ kind: 'save-scene' }),
    open: (): void => this.emit({ kind: 'open-scene-file' }),
    link: (): void => this.emit({ kind: 'copy-link', events: false }),
    linkSession: (): void => this.emit({ kind: 'copy-link', events: true }),
    matrix: (): void => this.matrixPicker.click(),
    addSource: (): void => {
      this.draft!.stimulus.push({ kind: 'dc', amplitude: 1, targets: '' });
      this.build();
    },
  };

  constructor(
    container: HTMLElement,
    private readonly emit: Emit,
    /** The hidden file input for a weight matrix (CSV or JSON). */
    private readonly matrixPicker: HTMLInputElement,
  ) {
    this.gui = new GUI({ container, title: 'Scene builder', width: 300, injectStyles: false });
    this.gui.domElement.classList.add('spikescope-panel', 'scene-builder');
    this.gui.close();
    // Opened, it scrolls into view (it sits under the control panel).
    this.gui.onOpenClose((gui) => {
      if (gui === this.gui && !gui._closed) gui.domElement.scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
    const actions = this.gui.addFolder('Apply, save, share');
    actions.domElement.classList.add('scene-actions');
    mark(actions.add(this.actions, 'apply').name('▶ apply (restart with this scene)'), 'apply', 'parse the scene below and run it from t = 0; an invalid field is named in the banner and the running scene goes on');
    mark(actions.add(this.actions, 'fromRun').name('↺ take the running scene'), 'from-run', 'fill the builder with the scene that runs, live parameter and stimulus changes included');
    mark(actions.add(this.actions, 'save').name('⤓ save scene file'), 'save', 'download the running scene (live changes folded in) as JSON: `npm run cli -- run FILE` runs it');
    mark(actions.add(this.actions, 'open').name('⤒ open scene file…'), 'open', 'open a scene JSON (or a recording); you can also drop it on the page');
    mark(actions.add(this.actions, 'link').name('↗ copy link to this scene'), 'link', 'a URL that opens the running scene (live changes folded in)');
    mark(actions.add(this.actions, 'linkSession').name('↗ copy link with the recording'), 'link-session', 'a URL that opens the last recording and replays it with its ✓ / ✗ verdict');
  }

  /** Shows `scene` in the builder (when a scene opens, or on "take the running scene"). */
  show(scene: Scene): void {
    this.draft = draftOf(scene);
    this.build();
  }

  /** A weight matrix read from a file: the connectivity becomes `matrix`. */
  setMatrix(weights: number[][]): void {
    if (!this.draft) return;
    this.draft.connectivity = { kind: 'matrix', weights };
    this.build();
  }

  private build(): void {
    const draft = this.draft;
    if (!draft) return;
    for (const folder of this.folders) folder.destroy();
    this.folders = [];
    const definition = models[draft.model];

    const scene = this.folder('Model and size');
    const modelChoices = Object.fromEntries(MODEL_IDS.map((id) => [`${id} — ${models[id].title.split(':')[0]}`, id]));
    mark(
      scene.add(draft, 'model', modelChoices).name('model').onChange((id: ModelId) => this.changeModel(id)),
      'model',
      'every registered model; changing it starts from its defaults',
    );
    this.number(scene, sceneFields.neurons, draft.neurons, (v) => (draft.neurons = v), 'neurons');
    for (const key of ['dtMs', 'durationMs', 'seed'] as const) this.number(scene, sceneFields[key], draft[key], (v) => (draft[key] = v), key);
    for (const choice of definition.choices) {
      mark(scene.add(draft.options, choice.name, [...choice.choices]).name(choice.name), `option-${choice.name}`, choice.doc);
    }

    const params = this.folder(`Parameters — ${definition.title.split(':')[0]}`);
    for (const spec of definition.params) this.number(params, spec, draft.params[spec.name] ?? spec.default, (v) => (draft.params[spec.name] = v), `param-${spec.name}`);
    params.close();

    if (definition.network) {
      const net = this.folder('Connectivity');
      const kinds: readonly string[] = CONNECTIVITY_KINDS;
      mark(
        net.add(draft.connectivity, 'kind', kinds).name('kind').onChange((kind: string) => {
          draft.connectivity = { kind };
          this.build();
        }),
        'connectivity-kind',
        'none, a ring, random (all pairs, a probability or a fan-in), all-to-all, or a weight matrix from a file',
      );
      const kind = draft.connectivity.kind as keyof typeof CONNECTIVITY_FIELDS;
      for (const key of CONNECTIVITY_FIELDS[kind] ?? []) {
        const spec = connectivityFieldSpecs[key];
        const value = draft.connectivity[key];
        // A random network's probability and fanIn stay out of the scene until given (one of them, or neither: every pair).
        const optional = kind === 'random' && key !== 'weightMax';
        this.number(net, spec, typeof value === 'number' || typeof value === 'string' ? value : optional ? Number.NaN : spec.default, (v) => (draft.connectivity[key] = v), `connectivity-${key}`, optional);
      }
      if (kind === 'random') net.add({ note: 'give a probability or a fan-in' }, 'note').name('(neither: all pairs)').disable();
      if (kind === 'matrix') {
        const rows = draft.connectivity.weights?.length ?? 0;
        mark(net.add(this.actions, 'matrix').name(rows ? `⤒ weight matrix (${rows} × ${rows} loaded)…` : '⤒ load weight matrix (CSV or JSON)…'), 'matrix', 'rows: postsynaptic neurons, columns: presynaptic (N × N numbers, CSV or a JSON list of rows)');
      }
    }

    // (Not titled 'Stimulus': that is the control panel's live stimulus folder.)
    const stimulus = this.folder(`Protocol: ${draft.stimulus.length} source${draft.stimulus.length === 1 ? '' : 's'}`);
    const model = draft.model;
    draft.stimulus.forEach((source, index) => {
      const folder = stimulus.addFolder(`source ${index + 1}: ${source.kind}`);
      mark(
        folder.add(source, 'kind', [...STIMULUS_KINDS]).name('kind').onChange(() => {
          draft.stimulus[index] = { kind: source.kind, targets: source.targets, ...Object.fromEntries(sourceFields(source.kind).required.map((k) => [k, spec(k, model).default])) };
          this.build();
        }),
        `source-${index}-kind`,
        'dc, ramp, sine, pulses, Ornstein–Uhlenbeck noise (ou) or Poisson input',
      );
      const { required, optional } = sourceFields(source.kind);
      for (const key of [...required, ...optional, 'startMs', 'stopMs'] as const) {
        const value = source[key];
        this.number(folder, spec(key, model), typeof value === 'number' || typeof value === 'string' ? value : Number.NaN, (v) => (source[key] = v), `source-${index}-${key}`, !required.includes(key));
      }
      if (definition.network || Number(draft.neurons) > 1) {
        mark(folder.add(source, 'targets').name('targets (e.g. 0-9, 20)'), `source-${index}-targets`, 'neuron indices the source drives; empty: every neuron');
      }
      mark(
        folder.add({ remove: () => (draft.stimulus.splice(index, 1), this.build()) }, 'remove').name('✕ remove this source'),
        `source-${index}-remove`,
        'take this source out of the list',
      );
      folder.close();
    });
    mark(stimulus.add(this.actions, 'addSource').name('+ add a source'), 'add-source', 'a dc source; change its kind above');

    const probes = this.folder('Probes');
    mark(probes.add(draft, 'probes').name('probes'), 'probes', `recorded traces, e.g. ${probeNames(model).slice(0, 2).map((p) => `${p}[0]`).join(', ')}; of ${probeNames(model).join(', ')}`);
    probes.close();
  }

  private changeModel(id: ModelId): void {
    const draft = this.draft!;
    const definition = models[id];
    draft.params = Object.fromEntries(definition.params.map((p) => [p.name, p.default]));
    draft.options = Object.fromEntries(definition.choices.map((c) => [c.name, c.default]));
    draft.connectivity = { kind: 'none' };
    draft.probes = '';
    if (!definition.network) draft.neurons = 1;
    this.build();
  }

  private folder(title: string): GUI {
    const folder = this.gui.addFolder(title);
    this.folders.push(folder);
    return folder;
  }

  /** A number field from its spec; an `optional` one that is empty stays out of the scene. */
  private number(parent: GUI, spec: ParamSpec, value: Typed, set: (v: Typed) => void, id: string, optional = false): ParamField {
    const shown = typeof value === 'number' ? value : Number.NaN;
    const field = new ParamField(parent, optional ? { ...spec, label: `${spec.label ?? spec.name} (optional)` } : spec, Number.isNaN(shown) ? spec.default : shown, (typed) => {
      const empty = optional && typeof typed === 'string' && typed.trim() === '';
      set(empty ? (undefined as unknown as Typed) : typed);
      field.element.classList.toggle('unset', empty);
    }, { explain: false });
    if (optional && Number.isNaN(shown)) {
      // Empty until given: an optional field left empty stays out of the scene.
      field.element.classList.add('unset');
      const text = field.element.querySelector<HTMLInputElement>('.param-value');
      if (text) Object.assign(text, { value: '', placeholder: 'optional' });
    }
    field.element.dataset.scene = id;
    return field;
  }
}

/** A source field's spec for a model (current fields in the model's input unit). */
function spec(key: StimulusField, model: ModelId): ParamSpec {
  return currentSpec(stimulusFieldSpecs[key], models[model].inputUnit, models[model].inputTypical);
}

function mark<T extends { domElement: HTMLElement }>(controller: T & { domElement: HTMLElement; $name?: HTMLElement }, id: string, tip: string): T {
  controller.domElement.dataset.scene = id;
  controller.domElement.title = tip;
  return controller;
}
