/**
 * Scene files on the page (src/app/scene-files.ts) and the builder's form (src/ui/scene-builder.ts
 * draft ↔ scene): a dropped file told apart as a scene or a recording, a weight matrix from CSV or
 * JSON into a scene parseScene accepts, the running scene with live changes folded in, and a
 * scene → builder draft → scene round trip for every built-in scene.
 */
import { describe, expect, it } from 'vitest';
import { parseScene } from '../src/core/scene.ts';
import { builtinScene, builtinSceneIds } from '../src/core/scenes.ts';
import { canonicalJson } from '../src/session/digest.ts';
import { parseMatrixText, readDroppedFile, sceneFileText, sceneNow } from '../src/app/scene-files.ts';
import { draftOf, parseRanges, rangesText, sceneInputOf } from '../src/ui/scene-builder.ts';

describe('scene files', () => {
  it('a dropped file: gzip or a recording JSON replays, any other JSON is a scene, anything else is refused naming the file', async () => {
    expect(await readDroppedFile(new Blob([new Uint8Array([0x1f, 0x8b, 8, 0])]))).toEqual({ kind: 'recording' });
    expect(await readDroppedFile(new Blob(['{"format":"spikescope-recording"}']))).toEqual({ kind: 'recording' });
    expect(await readDroppedFile(new Blob(['{"model":"lif"}']))).toEqual({ kind: 'scene', input: { model: 'lif' } });
    await expect(readDroppedFile(new Blob(['<html>']), 'x.json')).rejects.toThrow(/x.json = .* is not allowed: a scene JSON or a recording/);
    // A truncated recording goes to the recording path, which says what is wrong with it.
    expect(await readDroppedFile(new Blob(['{"format":"spikescope-recording","version":3,"sce']))).toEqual({ kind: 'recording' });
  });

  it('a weight matrix from CSV (commas, semicolons, spaces, comments) or JSON becomes a matrix scene; bad cells are named', () => {
    const csv = '# weights[post][pre]\n0, 0.5, 0\n0;0;0.5\n0.5 0 0\n';
    const weights = parseMatrixText(csv, 'w.csv');
    expect(weights).toEqual([[0, 0.5, 0], [0, 0, 0.5], [0.5, 0, 0]]);
    expect(parseMatrixText(JSON.stringify({ weights }), 'w.json')).toEqual(weights);
    const scene = parseScene({ model: 'lif-network', neurons: 3, connectivity: { kind: 'matrix', weights } });
    expect(scene.connectivity).toEqual({ kind: 'matrix', weights });
    expect(() => parseMatrixText('0,1\n0,x', 'w.csv')).toThrow(/w.csv line 2 = "x" is not allowed/);
    expect(() => parseScene({ model: 'lif-network', neurons: 3, connectivity: { kind: 'matrix', weights: [[0, 1]] } })).toThrow(/connectivity.weights/);
  });

  it('the running scene with live changes folded in parses back to itself; the saved text is that scene', () => {
    const scene = builtinScene('ring-sweep')!;
    const now = sceneNow(scene, { tauPscMs: 9 }, [{ kind: 'dc', amplitude: 2, startMs: -0.0625, targets: [3] }]);
    expect(now.sweep).toBeUndefined();
    expect(now.params.tauPscMs).toBe(9);
    expect(canonicalJson(parseScene(JSON.parse(sceneFileText(now))))).toBe(canonicalJson(now));
  });

  it('every built-in scene → builder draft → scene input → the same scene, as the user’s own (the form loses nothing)', () => {
    for (const id of builtinSceneIds) {
      const { sweep: _sweep, description: _d, id: _id, title: _t, ...scene } = builtinScene(id)!;
      const { title, ...back } = parseScene(sceneInputOf(draftOf(scene)));
      expect(canonicalJson(back), id).toBe(canonicalJson(scene));
      expect(title).toMatch(/^Your scene: /);
    }
    expect(parseRanges('0-3, 7')).toEqual([0, 1, 2, 3, 7]);
    expect(rangesText([0, 1, 2, 3, 7])).toBe('0-3, 7');
    expect(parseRanges('a, 2')).toBe('a, 2');
    expect(() => parseScene({ model: 'izhikevich', neurons: 3, stimulus: [{ kind: 'dc', amplitude: 1, targets: parseRanges('x') }] })).toThrow(/stimulus\[0\].targets = "x"/);
  });
});
