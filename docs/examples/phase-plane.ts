// The phase plane of Izhikevich (A) below and above its saddle-node input, and of HH at rest,
// computed in Node as the page draws them. Run: npx tsx docs/examples/phase-plane.ts
import { builtinScene, izhikevichSaddleNodeInput, phasePlane, type IzhikevichConstants } from 'spikescope';

const tonic = builtinScene('izhikevich/A')!.params; // a = 0.02, b = 0.2, c = −65, d = 6
console.log(`I* = ${izhikevichSaddleNodeInput(tonic as unknown as IzhikevichConstants)} mV/ms`);
for (const input of [0, 5]) {
  const plane = phasePlane('izhikevich', tonic, input);
  const points = plane.fixedPoints.map((f) => `${f.kind} at (${f.x.toFixed(1)}, ${f.y.toFixed(1)})`);
  console.log(`I = ${input}: ${points.join(', ') || 'no fixed point'}`);
}
const hh = phasePlane('hh', {}, 0);
console.log(`HH at rest, ${hh.reduction}: ${hh.fixedPoints.map((f) => `${f.kind} at V = ${f.x.toFixed(3)} mV, n = ${f.y.toFixed(4)}`).join(', ')}`);
