// A headless run with a hand pulse: Izhikevich (B) phasic spiking, which rests until its
// stimulus step at 20 ms, gets a 2 ms pulse at 10 ms. Run: npx tsx hand-pulse.ts
import { Subject } from 'rxjs';
import { builtinScene, simulate, virtualClock, type Input } from 'spikescope';

const scene = builtinScene('izhikevich/B')!; // dt = 0.25 ms, 200.25 ms
const hand$ = new Subject<Input>();

virtualClock(801, 40) // clock: 801 steps, 40 per tick (one frame per tick)
  .pipe(simulate(scene, hand$)) // model: ticks + inputs → frames
  .subscribe((frame) => {
    // sink: print the spikes of each frame, and every input event applied
    for (const event of frame.events) console.log(`${event.kind} applied at step ${event.step} (${event.step * frame.dtMs} ms)`);
    frame.spikes.timeMs.forEach((t, i) => console.log(`spike of neuron ${frame.spikes.neuron[i]} at ${t} ms`));
    // A live input takes the next step not yet computed: here, step 40 = 10 ms.
    if (frame.firstStep === 0) hand$.next({ kind: 'pulse', amplitude: 30, durationMs: 2 });
  });
