/**
 * The page's entry point: builds the layout, starts Pixi (WebGL; Canvas 2D when the browser has
 * none, with a notice saying so), opens the lab on the scene of the URL (`?scene=<id>`, default
 * Izhikevich (A) tonic spiking) or the gallery (`?view=gallery`), and installs the keyboard and
 * `window.spikescope`.
 */
import 'lil-gui/dist/lil-gui.css';
import { Application } from 'pixi.js';
// Pixi's eval-free code paths: the page's Content-Security-Policy allows no eval (vite.config.ts).
import 'pixi.js/unsafe-eval';
import { bindKeyboard } from '../ui/keyboard.ts';
import { bindRecordingFiles, createPage } from '../ui/page.ts';
import '../ui/style.css';
import { drawingOf } from '../view/drawing.ts';
import { theme } from '../view/theme.ts';
import { createAutomation } from './automation.ts';
import { DEFAULT_SCENE_ID } from './catalog.ts';
import { GALLERY_MODELS, GalleryPage } from './gallery-page.ts';
import { Lab } from './lab.ts';
import { noWebglNotice } from './webgl-check.ts';

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app element');
  const page = createPage(root);
  const pixi = new Application();
  await pixi.init({
    preference: 'webgl',
    background: theme.background,
    antialias: false,
    autoStart: false,
    resolution: window.devicePixelRatio || 1,
    autoDensity: true,
    width: Math.max(1, page.canvasHost.clientWidth),
    height: Math.max(1, page.canvasHost.clientHeight),
  });
  page.canvasHost.appendChild(pixi.canvas);
  // Without WebGL Pixi falls back to its Canvas 2D renderer; the views draw with it (slower), and say so.
  if (drawingOf(pixi.renderer) === 'canvas') page.notices.show('no-webgl', noWebglNotice());

  const params = new URLSearchParams(window.location.search);
  const neurons = Number(params.get('neurons') ?? NaN);
  const galleryModel = params.get('model') ?? 'izhikevich';
  const controller = params.get('view') === 'gallery' ? new GalleryPage(pixi, page, (GALLERY_MODELS as string[]).includes(galleryModel) ? galleryModel : 'izhikevich') : new Lab(pixi, page, Number.isFinite(neurons) ? neurons : undefined);
  if (controller instanceof Lab) {
    const id = params.get('scene') ?? DEFAULT_SCENE_ID;
    // A share link (#s1.…) opens its scene or session; a bad one shows the banner over the default scene.
    if (window.location.hash.length > 1) await controller.scenes.openLink(window.location.hash, () => controller.open(DEFAULT_SCENE_ID));
    else {
      try {
        controller.open(id);
      } catch (error) {
        controller.open(DEFAULT_SCENE_ID);
        controller.reportError(error);
      }
    }
    window.addEventListener('hashchange', () => {
      if (window.location.hash.length > 1) void controller.scenes.openLink(window.location.hash);
    });
  }
  const resize = (): void => {
    pixi.renderer.resize(Math.max(1, page.canvasHost.clientWidth), Math.max(1, page.canvasHost.clientHeight));
    controller.layout();
  };
  new ResizeObserver(resize).observe(page.canvasHost);
  resize();
  bindKeyboard(window, (intent) => controller.handle(intent));
  if (controller instanceof Lab) bindRecordingFiles(page, window, (intent) => controller.handle(intent));
  window.spikescope = createAutomation(controller);
}

start().catch((error: unknown) => {
  const root = document.getElementById('app') ?? document.body;
  const message = document.createElement('pre');
  message.className = 'fatal';
  message.textContent = `Spikescope could not start: ${error instanceof Error ? error.message : String(error)}`;
  root.appendChild(message);
  console.error(error);
});
