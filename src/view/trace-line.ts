/**
 * A polyline the views redraw every frame. Callers write x, y pairs into `xy` and
 * `commit(count)`; nothing is allocated per frame by the caller.
 *
 * With a GPU renderer it is one Mesh line-strip over a preallocated buffer, uploaded once per
 * commit (unused vertices collapse onto the last point). With Pixi's Canvas 2D renderer — the
 * page's fallback when the browser gives no WebGL, which has no mesh pipe — it is a Graphics
 * path rebuilt at each commit: slower, but drawn.
 */
import { Graphics, Mesh, MeshGeometry, Texture, type Buffer, type Container } from 'pixi.js';
import type { Drawing } from './drawing.ts';

export interface TraceLine {
  /** The display object to add to the stage. */
  readonly view: Container;
  /** x0, y0, x1, y1, … in the parent's coordinates; `capacity` points. */
  readonly xy: Float32Array;
  readonly capacity: number;
  setColor(color: number): void;
  /** Shows the first `count` points (fewer than 2: nothing). */
  commit(count: number): void;
  destroy(): void;
}

export function createTraceLine(drawing: Drawing, capacity: number, color: number, alpha = 1): TraceLine {
  return drawing === 'gpu' ? new MeshTraceLine(capacity, color, alpha) : new PathTraceLine(capacity, color, alpha);
}

class MeshTraceLine implements TraceLine {
  readonly view: Mesh<MeshGeometry>;
  readonly xy: Float32Array;
  readonly capacity: number;
  private readonly buffer: Buffer;

  constructor(capacity: number, color: number, alpha: number) {
    this.capacity = Math.max(2, capacity);
    this.xy = new Float32Array(this.capacity * 2);
    const indices = new Uint32Array(this.capacity);
    for (let i = 0; i < indices.length; i++) indices[i] = i;
    const geometry = new MeshGeometry({ positions: this.xy, uvs: new Float32Array(this.capacity * 2), indices, topology: 'line-strip' });
    geometry.batchMode = 'no-batch';
    this.buffer = geometry.getBuffer('aPosition');
    this.view = new Mesh({ geometry, texture: Texture.WHITE });
    this.view.tint = color;
    this.view.alpha = alpha;
    this.view.eventMode = 'none';
    this.view.visible = false;
  }

  setColor(color: number): void {
    this.view.tint = color;
  }

  commit(count: number): void {
    const n = Math.min(count, this.capacity);
    if (n < 2) {
      this.view.visible = false;
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
    this.view.visible = true;
  }

  destroy(): void {
    this.view.destroy({ children: true });
  }
}

class PathTraceLine implements TraceLine {
  readonly view = new Graphics();
  readonly xy: Float32Array;
  readonly capacity: number;
  private color: number;

  constructor(capacity: number, color: number, alpha: number) {
    this.capacity = Math.max(2, capacity);
    this.xy = new Float32Array(this.capacity * 2);
    this.color = color;
    this.view.alpha = alpha;
    this.view.eventMode = 'none';
  }

  setColor(color: number): void {
    this.color = color;
  }

  commit(count: number): void {
    const n = Math.min(count, this.capacity);
    const { view, xy } = this;
    view.clear();
    if (n < 2) return;
    view.moveTo(xy[0]!, xy[1]!);
    for (let i = 1; i < n; i++) view.lineTo(xy[2 * i]!, xy[2 * i + 1]!);
    view.stroke({ width: 1, color: this.color });
  }

  destroy(): void {
    this.view.destroy();
  }
}
