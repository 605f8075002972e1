/**
 * Why the page draws without WebGL, for the notice it shows then. Browsers say why a WebGL
 * context could not be created in the `webglcontextcreationerror` event that `getContext`
 * fires (Firefox: "WebGL creation failed: …", Chromium: "Could not create a WebGL context, …").
 */
export function webglFailureReason(): string {
  const canvas = document.createElement('canvas');
  let reason = '';
  canvas.addEventListener('webglcontextcreationerror', (event) => {
    reason = (event as WebGLContextEvent).statusMessage || reason;
  });
  const context = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (context) {
    context.getExtension('WEBGL_lose_context')?.loseContext();
    return 'WebGL answers here, but the renderer could not start on it';
  }
  return reason ? `the browser gave no WebGL context (“${reason.replace(/\s+/g, ' ').trim()}”)` : 'the browser gave no WebGL context';
}

/** The notice's text: what happens and what to do. */
export function noWebglNotice(): string {
  return `Drawing without WebGL, with Canvas 2D (slower drawing; the simulation is unaffected): ${webglFailureReason()}. Turning on hardware acceleration or WebGL in the browser's settings gives the fast views back.`;
}
