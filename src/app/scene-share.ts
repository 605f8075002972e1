/**
 * The lab's own-scene features, in one place beside the Lab: the scene builder panel, scene files
 * (open, drop, save), share links (copy, open at start-up or on a hash change) and the automation
 * handle's loadScene / currentScene / shareLink. The Lab gives it a small host: the running scene
 * with its live changes, a way to run a scene, to replay a recording source, and to report.
 *
 * A link or a file is untrusted: it is decoded and checked (parseScene, parseRecording, the
 * limits) before the running session is touched; when anything is wrong, the banner says what and
 * the running scene goes on — or, for a link opened at start-up, the default scene runs.
 */
import { DEFAULT_LIMITS } from '../core/limits.ts';
import { parseScene, type Scene } from '../core/scene.ts';
import { InputError } from '../core/schema.ts';
import { decodeRecording } from '../session/file.ts';
import type { Recording } from '../session/recording.ts';
import { decodeLink, encodeLink, LINK_WARN_CHARS } from '../session/share-link.ts';
import type { Intent } from '../ui/intents.ts';
import type { PageElements } from '../ui/page.ts';
import { SceneBuilder } from '../ui/scene-builder.ts';
import type { RecordingSource } from '../engine/protocol.ts';
import { bytesOfDataUrl, saveFile } from './exports.ts';
import type { ExportResult, ReplayResult, SceneController } from './page-controller.ts';
import { parseMatrixText, readDroppedFile, sceneFileName, sceneFileText } from './scene-files.ts';

/** What the scene features need from the lab. */
export interface SceneShareHost {
  /** The running scene, live parameter and stimulus changes folded in. */
  currentScene(): Scene;
  /** Runs `scene` live from t = 0 (its id, or `own` for a scene without one). */
  runScene(scene: Scene): void;
  /** Replays a recording source as a recording file is replayed (verdict, replay bar); null when it failed (reported). */
  replay(source: Blob | string | object | RecordingSource, name?: string): Promise<ReplayResult | null>;
  /** The recording file of the recording in progress, the last one stopped, or the replay (null when there is none: reported). */
  exportRecording(): Promise<ExportResult | null>;
  reportError(error: unknown): void;
}

/** The id a scene without one runs under (status().sceneId, file names). */
export const OWN_SCENE_ID = 'own-scene';

export class SceneShare implements SceneController {
  readonly builder: SceneBuilder;
  private readonly matrixPicker: HTMLInputElement;

  constructor(
    private readonly page: PageElements,
    private readonly host: SceneShareHost,
    emit: (intent: Intent) => void,
  ) {
    this.matrixPicker = Object.assign(document.createElement('input'), { type: 'file', accept: '.csv,.json,.txt,text/csv,application/json', hidden: true, className: 'matrix-file' });
    page.root.appendChild(this.matrixPicker);
    this.matrixPicker.addEventListener('change', () => {
      const file = this.matrixPicker.files?.[0];
      this.matrixPicker.value = '';
      if (file) void this.readMatrix(file);
    });
    this.builder = new SceneBuilder(page.panel, emit, this.matrixPicker);
  }

  /** Acts on the scene intents; false for any other intent. */
  handle(intent: Intent): boolean {
    switch (intent.kind) {
      case 'apply-scene':
        this.loadScene(intent.scene);
        return true;
      case 'edit-current-scene':
        this.builder.show(this.host.currentScene());
        return true;
      case 'save-scene':
        this.save();
        return true;
      case 'open-scene-file':
        this.page.filePicker.click();
        return true;
      case 'copy-link':
        void this.copyLink(intent.events);
        return true;
      case 'load-recording':
        void this.openFile(intent.source, intent.name);
        return true;
      default:
        return false;
    }
  }

  currentScene(): Scene {
    return this.host.currentScene();
  }

  /** A scene opened (built-in, file, link, replay): the builder shows it. */
  sceneOpened(scene: Scene): void {
    this.builder.show(scene);
  }

  /** Runs a scene given as an object (checked by parseScene, as the CLI checks a file); a bad one is reported and the running scene goes on. */
  loadScene(input: unknown): boolean {
    try {
      this.host.runScene(parseScene(input, DEFAULT_LIMITS));
      return true;
    } catch (error) {
      this.host.reportError(error);
      return false;
    }
  }

  /**
   * The URL of a link to the running scene, or (`events`) to the recording in progress, the last
   * one stopped, or the replay: its scene and log.
   */
  async shareLink(options: { events?: boolean } = {}): Promise<string> {
    let recording: Recording | undefined;
    if (options.events) {
      const file = await this.host.exportRecording();
      if (!file) throw new InputError('events', true, 'a recording to share: record one (R) or open one first');
      recording = await decodeRecording(bytesOfDataUrl(file.text));
    }
    const fragment = await encodeLink({ scene: this.host.currentScene(), ...(recording ? { recording } : {}) });
    const url = new URL(window.location.href);
    url.hash = fragment;
    return url.href;
  }

  /**
   * Opens a link's fragment: its scene, or its session replayed with the verdict. Anything wrong is
   * reported; `fallback` (at start-up: the default scene) then runs unless a scene already does.
   */
  async openLink(fragment: string, fallback?: () => void): Promise<boolean> {
    try {
      const { scene, log } = await decodeLink(fragment);
      if (!log) {
        this.host.runScene(scene);
        return true;
      }
      // The fallback runs while the session is verified; the replay replaces it once proved (a failure is reported over it).
      fallback?.();
      return (await this.host.replay({ log: JSON.stringify(log) }, 'the link')) !== null;
    } catch (error) {
      fallback?.();
      this.host.reportError(error);
      return false;
    }
  }

  private async copyLink(events: boolean): Promise<void> {
    let url: string;
    try {
      url = await this.shareLink({ events });
    } catch (error) {
      this.host.reportError(error);
      return;
    }
    const what = events ? 'recording' : 'scene';
    const size = `${url.length} characters`;
    if (url.length > LINK_WARN_CHARS) {
      this.page.notices.show('link', `The link to this ${what} is ${(url.length / 1024).toFixed(0)} KB (${size}): too long for many chats, mail clients and browsers. Share the ${what} as a file instead.`, [
        events ? { label: '⤓ recording file', id: 'link-file', run: () => void this.saveRecording(), done: true } : { label: '⤓ scene file', id: 'link-file', run: () => this.save(), done: true },
        { label: 'copy the long link anyway', id: 'link-copy', run: () => void this.copy(url, what, size) },
      ]);
      return;
    }
    await this.copy(url, what, size);
  }

  private async copy(url: string, what: string, size: string): Promise<void> {
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // No clipboard (permission, insecure context): the link is shown to copy by hand.
    }
    this.page.notices.show('link', copied ? `Link to this ${what} copied (${size}).` : `Copy this link to the ${what} (${size}): ${url}`, [{ label: 'open it here', id: 'link-open', href: url }], { tone: 'good', ...(copied ? { hideAfterMs: 10_000 } : {}) });
    this.lastLink = url;
  }

  /** The last link copied (tests read it where the clipboard is not readable). */
  lastLink: string | undefined;

  /** Downloads the running scene, live changes folded in, as a scene file. */
  save(): void {
    const scene = this.host.currentScene();
    const name = sceneFileName(scene);
    saveFile(name, new Blob([sceneFileText(scene)], { type: 'application/json' }));
    this.page.notices.show('export', `Saved the scene: ${name} — run it: npm run cli -- run ${name}`, [], { tone: 'good', hideAfterMs: 10_000 });
  }

  private async saveRecording(): Promise<void> {
    const file = await this.host.exportRecording();
    if (file) saveFile(file.name, new Blob([bytesOfDataUrl(file.text)], { type: file.mime }));
  }

  /** A picked or dropped file: a scene JSON runs (checked as the CLI checks it), a recording replays. */
  private async openFile(source: Blob | string | object, name?: string): Promise<void> {
    if (!(source instanceof Blob)) {
      await this.host.replay(source, name);
      return;
    }
    try {
      const file = await readDroppedFile(source, name ?? 'file');
      if (file.kind === 'recording') await this.host.replay(source, name);
      else this.loadScene(file.input);
    } catch (error) {
      this.host.reportError(error);
    }
  }

  private async readMatrix(file: File): Promise<void> {
    try {
      if (file.size > DEFAULT_LIMITS.inputFileBytes) throw new InputError(file.name, `${file.size} bytes`, `a file of at most ${DEFAULT_LIMITS.inputFileBytes} bytes (limit "inputFileBytes")`);
      this.builder.setMatrix(parseMatrixText(await file.text(), file.name));
    } catch (error) {
      this.host.reportError(error);
    }
  }
}
