/**
 * The Pixi.js views of Spikescope, as `spikescope/view` exports them: the oscilloscope and the
 * spike raster, each a Pixi `Container` to add to a stage and feed with frames. They draw with
 * WebGL meshes, or with Canvas 2D stand-ins when Pixi falls back to its canvas renderer.
 * Needs `pixi.js` 8 (a peer dependency) and a DOM.
 *
 * @module spikescope/view
 */
export { Oscilloscope, type ScopeChannel, type ScopeFrame, type ScopeMode } from './oscilloscope.ts';
export { Raster } from './raster.ts';
export { drawingOf, type Drawing } from './drawing.ts';
