/**
 * The raster's bitmap: RGBA texels the CPU writes (`pixels`, little-endian words, `width` ×
 * `height`), shown stretched over a rectangle of the stage. Its columns are a ring of time
 * bins: `present(first)` uploads it and shows column `first` at the left edge, the others
 * following and wrapping around.
 *
 * With a GPU renderer it is one textured quad whose texture coordinates start at `first`
 * (addressing mode repeat), the bitmap uploaded as one texture. With the Canvas 2D renderer it is
 * a sprite over a canvas of the rectangle's size, into which the bitmap is put and then copied in
 * two parts (the ring unrolled) with nearest-neighbour scaling.
 */
import { BufferImageSource, CanvasSource, Container, Mesh, MeshGeometry, Sprite, Texture } from 'pixi.js';
import type { Drawing } from './drawing.ts';

export interface RingBitmap {
  readonly view: Container;
  readonly pixels: Uint32Array<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
  /** New texels of this size (all zero). */
  resize(width: number, height: number): void;
  /** The rectangle of the stage the bitmap fills. */
  place(x: number, y: number, width: number, height: number): void;
  /** Uploads the texels and shows column `first` at the left. */
  present(first: number): void;
}

export function createRingBitmap(drawing: Drawing): RingBitmap {
  return drawing === 'gpu' ? new TexturedQuad() : new CanvasBitmap();
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
      uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
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
    this.source = new BufferImageSource({ resource: bytes, width, height, format: 'rgba8unorm', scaleMode: 'nearest', addressMode: 'repeat', autoGenerateMipmaps: false });
    this.view.texture = new Texture({ source: this.source });
    if (old !== Texture.WHITE) old.destroy(true);
  }

  place(x: number, y: number, width: number, height: number): void {
    this.geometry.positions.set([x, y, x + width, y, x + width, y + height, x, y + height]);
    this.geometry.getBuffer('aPosition').update();
  }

  present(first: number): void {
    this.source?.update();
    const u0 = first / this.width;
    const uvs = this.geometry.uvs;
    uvs[0] = u0;
    uvs[2] = u0 + 1;
    uvs[4] = u0 + 1;
    uvs[6] = u0;
    this.geometry.getBuffer('aUV').update();
  }
}

class CanvasBitmap implements RingBitmap {
  readonly view = new Sprite();
  pixels = new Uint32Array(1) as Uint32Array<ArrayBuffer>;
  width = 1;
  height = 1;
  /** The texels as an image, put into `texels` and copied, unrolled and scaled, into `shown`. */
  private image: ImageData | undefined;
  private readonly texels = document.createElement('canvas');
  private readonly shown = document.createElement('canvas');
  private source: CanvasSource | undefined;

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    const bytes = new Uint8ClampedArray(width * height * 4);
    this.pixels = new Uint32Array(bytes.buffer);
    this.image = new ImageData(bytes, width, height);
    this.texels.width = width;
    this.texels.height = height;
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

  present(first: number): void {
    if (!this.image || !this.source) return;
    this.texels.getContext('2d')!.putImageData(this.image, 0, 0);
    const context = this.shown.getContext('2d')!;
    context.imageSmoothingEnabled = false;
    const { width, height } = this;
    const scaleX = this.shown.width / width;
    const rest = width - first;
    context.drawImage(this.texels, first, 0, rest, height, 0, 0, rest * scaleX, this.shown.height);
    if (first > 0) context.drawImage(this.texels, 0, 0, first, height, rest * scaleX, 0, first * scaleX, this.shown.height);
    this.source.update();
  }
}
