/**
 * A polyline drawn as one Mesh line-strip from a preallocated GPU buffer. Callers write x, y
 * pairs into `xy` and `commit(count)`; the buffer is uploaded once per commit, nothing is
 * allocated per frame. Unused vertices collapse onto the last point.
 */
import { Mesh, MeshGeometry, Texture, type Buffer } from 'pixi.js';

export class TraceLine {
  readonly mesh: Mesh<MeshGeometry>;
  /** x0, y0, x1, y1, … in the parent's coordinates; `capacity` points. */
  readonly xy: Float32Array;
  readonly capacity: number;
  private readonly buffer: Buffer;

  constructor(capacity: number, color: number, alpha = 1) {
    this.capacity = Math.max(2, capacity);
    this.xy = new Float32Array(this.capacity * 2);
    const indices = new Uint32Array(this.capacity);
    for (let i = 0; i < indices.length; i++) indices[i] = i;
    const geometry = new MeshGeometry({ positions: this.xy, uvs: new Float32Array(this.capacity * 2), indices, topology: 'line-strip' });
    geometry.batchMode = 'no-batch';
    this.buffer = geometry.getBuffer('aPosition');
    this.mesh = new Mesh({ geometry, texture: Texture.WHITE });
    this.mesh.tint = color;
    this.mesh.alpha = alpha;
    this.mesh.eventMode = 'none';
    this.mesh.visible = false;
  }

  set color(color: number) {
    this.mesh.tint = color;
  }

  /** Shows the first `count` points (fewer than 2: nothing). */
  commit(count: number): void {
    const n = Math.min(count, this.capacity);
    if (n < 2) {
      this.mesh.visible = false;
      return;
    }
    const xy = this.xy;
    const lastX = xy[2 * n - 2]!;
    const lastY = xy[2 * n - 1]!;
    for (let i = 2 * n; i < xy.length; i += 2) {
      xy[i] = lastX;
      xy[i + 1] = lastY;
    }
    this.buffer.update();
    this.mesh.visible = true;
  }

  destroy(): void {
    this.mesh.destroy({ children: true });
  }
}
