/**
 * How the views draw. `gpu`: WebGL (or WebGPU) meshes and textures, the fast path. `canvas`:
 * Pixi's Canvas 2D renderer, which the page falls back to when the browser gives no WebGL
 * context (a blocklisted GPU, a remote desktop, privacy settings, headless Firefox). That
 * renderer has no mesh pipe, so the views' meshes have Canvas 2D stand-ins: trace lines become
 * Graphics paths (trace-line.ts) and the raster's bitmap a canvas sprite (ring-bitmap.ts).
 *
 * @example
 * ```ts
 * const drawing: Drawing = drawingOf(app.renderer); // 'canvas' without WebGL
 * ```
 */
export type Drawing = 'gpu' | 'canvas';

/**
 * How the views should draw for a Pixi renderer: `canvas` for Pixi's Canvas 2D renderer, `gpu`
 * otherwise.
 *
 * @example
 * ```ts
 * const scope = new Oscilloscope(scene.dtMs, 1 << 17, drawingOf(app.renderer));
 * ```
 */
export function drawingOf(renderer: { name: string }): Drawing {
  return renderer.name === 'canvas' ? 'canvas' : 'gpu';
}
