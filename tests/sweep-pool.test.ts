/** Sweep workers kept between sweeps (SweepPool, what `run --workers N` and the bench use): runSweep's bits every time. */
import { afterAll, describe, expect, it } from 'vitest';
import { SweepPool } from '../src/cli/parallel.ts';
import { DEFAULT_LIMITS } from '../src/core/limits.ts';
import { parseScene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { runSweep } from '../src/stream/run.ts';

const scene = parseScene({ ...builtinScene('ring-sweep')!, durationMs: 100 });
const pool = new SweepPool(2);
afterAll(() => pool.close());

describe('a pool of sweep workers', () => {
  it('gives the runs of runSweep, bit for bit and in order, sweep after sweep, and after a sweep that failed', { timeout: 60_000 }, async () => {
    const expected = runSweep(scene);
    expect(await pool.run(scene, DEFAULT_LIMITS)).toEqual(expected);
    // A run past the spike limit fails the sweep with the worker's error, by name…
    await expect(pool.run(scene, { ...DEFAULT_LIMITS, spikes: 100 })).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(/^spikes = \d+ is not allowed/) });
    // …and the runs of that sweep still in flight do not answer the next one.
    const progress: number[] = [];
    expect(await pool.run(scene, DEFAULT_LIMITS, (fraction) => progress.push(fraction))).toEqual(expected);
    expect(progress.length).toBe(20);
    expect(progress[19]).toBe(1);
  });
});
