/**
 * The raster's bitmap: RGBA texels the CPU writes (`pixels`, little-endian words), `width` time
 * columns of `height` rows, shown stretched over a rectangle of the stage. Its columns are a ring
 * of time bins: `present(first, changed)` uploads the columns changed since the last time and
 * shows column `first` at the left edge, the others following and wrapping around.
 *
 * The texels are stored column by column — texel (column, row) at column·height + row — so that
 * a frame's new columns are one contiguous run (two when the ring wraps) and only they are
 * uploaded: the whole bitmap is ~1 MB, a frame's columns at real time a few tens of KB.
 *
 * With a GPU renderer it is one textured quad over a texture of `height` × `width` texels (a
 * texture row per time column: the quad's texture coordinates are transposed, its v starting at
 * `first`, addressing mode repeat). With the Canvas 2D renderer it is a sprite over a canvas of the
 * rectangle's size, into which the texels are put (as a transposed image) and then copied in two
 * parts (the ring unrolled) with the axes swapped back and nearest-neighbour scaling.
 */
import { BufferImageSource, CanvasSource, Container, Mesh, MeshGeometry, Sprite, Texture } from 'pixi.js';
import type { Drawing } from './drawing.ts';

/** Columns changed since the last present: columns (bins, reduced modulo width) from … to, or every one. */
export type ChangedColumns = { all: true } | { all: false; from: number; to: number };

export interface RingBitmap {
  readonly view: Container;
  /** Texel (column, row) at column·height + row. */
  readonly pixels: Uint32Array<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
  /** New texels of this size (all zero). */
  resize(width: number, height: number): void;
  /** The rectangle of the stage the bitmap fills. */
  place(x: number, y: number, width: number, height: number): void;
  /** Uploads the changed columns and shows column `first` at the left. */
  present(first: number, changed: ChangedColumns): void;
}

export function createRingBitmap(drawing: Drawing): RingBitmap {
  return drawing === 'gpu' ? new TexturedQuad() : new CanvasBitmap();
}

/** The changed columns as runs [from, to) of column indices: one, or two when the ring wraps (null: every column). */
function columnRuns(changed: ChangedColumns, width: number): [number, number][] | null {
  if (changed.all || changed.to - changed.from + 1 >= width) return null;
  if (changed.to < changed.from) return [];
  const from = ((changed.from % width) + width) % width;
  const to = ((changed.to % width) + width) % width;
  return from <= to ? [[from, to + 1]] : [[from, width], [0, to + 1]];
}

class TexturedQuad implements RingBitmap {
  readonly view: Mesh<MeshGeometry>;
  pixels = new Uint32Array(1) as Uint32Array<ArrayBuffer>;
  width = 1;
  height = 1;
  private readonly geometry: MeshGeometry;
  private source: BufferImageSource | undefined;

  constructor() {
    this.geometry = new MeshGeometry({
      positions: new Float32Array(8),
      // Transposed: the texture's u runs over the rows (down the screen), v over the time columns.
      uvs: new Float32Array([0, 0, 0, 1, 1, 1, 1, 0]),
      indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
    });
    this.geometry.batchMode = 'no-batch';
    this.view = new Mesh({ geometry: this.geometry, texture: Texture.WHITE });
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    const bytes = new Uint8Array(width * height * 4);
    this.pixels = new Uint32Array(bytes.buffer);
    const old = this.view.texture;
    this.source = new BufferImageSource({ resource: bytes, width: height, height: width, format: 'rgba8unorm', scaleMode: 'nearest', addressMode: 'repeat', autoGenerateMipmaps: false });
    this.view.texture = new Texture({ source: this.source });
    if (old !== Texture.WHITE) old.destroy(true);
  }

  place(x: number, y: number, width: number, height: number): void {
    this.geometry.positions.set([x, y, x + width, y, x + width, y + height, x, y + height]);
    this.geometry.getBuffer('aPosition').update();
  }

  present(first: number, changed: ChangedColumns): void {
    const source = this.source;
    if (source) {
      const runs = columnRuns(changed, this.width);
      if (runs === null) source.update();
      else for (const [from, to] of runs) source.update(from * this.height, to * this.height);
    }
    const v0 = first / this.width;
    const uvs = this.geometry.uvs;
    uvs[1] = v0;
    uvs[3] = v0 + 1;
    uvs[5] = v0 + 1;
    uvs[7] = v0;
    this.geometry.getBuffer('aUV').update();
  }
}

class CanvasBitmap implements RingBitmap {
  readonly view = new Sprite();
  pixels = new Uint32Array(1) as Uint32Array<ArrayBuffer>;
  width = 1;
  height = 1;
  /** The texels as a transposed image (a row per time column), put into `texels` and copied, unrolled, axes swapped and scaled, into `shown`. */
  private image: ImageData | undefined;
  private readonly texels = document.createElement('canvas');
  private readonly shown = document.createElement('canvas');
  private source: CanvasSource | undefined;

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    const bytes = new Uint8ClampedArray(width * height * 4);
    this.pixels = new Uint32Array(bytes.buffer);
    this.image = new ImageData(bytes, height, width);
    this.texels.width = height;
    this.texels.height = width;
  }

  place(x: number, y: number, width: number, height: number): void {
    this.view.position.set(x, y);
    if (this.shown.width === width && this.shown.height === height && this.source) return;
    this.shown.width = width;
    this.shown.height = height;
    const old = this.view.texture;
    this.source = new CanvasSource({ resource: this.shown });
    this.view.texture = new Texture({ source: this.source });
    if (old !== Texture.EMPTY) old.destroy(false);
  }

  present(first: number, changed: ChangedColumns): void {
    if (!this.image || !this.source) return;
    const { width, height } = this;
    const texels = this.texels.getContext('2d')!;
    const runs = columnRuns(changed, width);
    if (runs === null) texels.putImageData(this.image, 0, 0);
    else for (const [from, to] of runs) texels.putImageData(this.image, 0, 0, 0, from, height, to - from);
    const context = this.shown.getContext('2d')!;
    context.imageSmoothingEnabled = false;
    const scaleX = this.shown.width / width;
    const rest = width - first;
    // Swap the axes: the texels' x (rows) goes down the screen, their y (time columns) across.
    context.setTransform(0, 1, 1, 0, 0, 0);
    context.drawImage(this.texels, 0, first, height, rest, 0, 0, this.shown.height, rest * scaleX);
    if (first > 0) context.drawImage(this.texels, 0, 0, height, first, 0, rest * scaleX, this.shown.height, first * scaleX);
    context.setTransform(1, 0, 0, 1, 0, 0);
    this.source.update();
  }
}
