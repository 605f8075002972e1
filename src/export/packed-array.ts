/**
 * Numeric arrays packed into text that Python's standard library unpacks: the array's bytes
 * (little-endian), reordered byte plane by byte plane (every element's byte 0, then every
 * element's byte 1, …), zlib-compressed and base64-encoded.
 *
 * Reordering by byte planes is what makes the arrays of an export compress: the high bytes of
 * small integers (synapse targets as differences, counts, 24-bit weights) are runs of the same
 * value, which zlib stores in almost nothing, while their random low bytes stay as they are.
 * The compression is the platform's CompressionStream('deflate') (zlib format, RFC 1950), in
 * browsers and Node alike, so the exporter runs in both.
 *
 * The Python side (see UNPACK_PYTHON) is:
 *   raw = zlib.decompress(base64.b64decode(text))
 *   numpy.frombuffer(raw, numpy.uint8).reshape(itemsize, count).T.copy().view(dtype)
 */

export type PackedDtype = '<i4' | '<u4' | '<f8' | '<u1';

/** A packed array as the script holds it: [numpy dtype, element count, base64 text]. */
export type PackedArray = [dtype: PackedDtype, count: number, base64: string];

const ITEM_SIZE: Record<PackedDtype, number> = { '<i4': 4, '<u4': 4, '<f8': 8, '<u1': 1 };

/** Packs a typed array (its bytes are taken as they are in memory: little-endian on every platform we run on). */
export async function packArray(array: Int32Array | Uint32Array | Float64Array | Uint8Array, dtype: PackedDtype): Promise<PackedArray> {
  const size = ITEM_SIZE[dtype];
  if (array.BYTES_PER_ELEMENT !== size) throw new Error(`packArray: a ${array.constructor.name} cannot be packed as ${dtype}`);
  const count = array.length;
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const planes = new Uint8Array(bytes.length);
  for (let b = 0; b < size; b++) {
    const plane = b * count;
    for (let k = 0, at = b; k < count; k++, at += size) planes[plane + k] = bytes[at]!;
  }
  return [dtype, count, base64(await deflate(planes))];
}

/** zlib-format compression (CompressionStream 'deflate'). */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Chunks of 3·2^15 bytes keep every chunk's encoding free of padding, so the parts concatenate.
  for (let i = 0; i < bytes.length; i += 98_304) {
    const chunk = bytes.subarray(i, i + 98_304);
    let binary = '';
    for (let j = 0; j < chunk.length; j += 0x8000) binary += String.fromCharCode(...chunk.subarray(j, j + 0x8000));
    parts.push(btoa(binary));
  }
  return parts.join('');
}

/** The Python function that unpacks a PackedArray (numpy, zlib and base64 only). */
export const UNPACK_PYTHON = String.raw`def unpack(packed):
    """A packed array: base64 of zlib-compressed bytes stored byte plane by byte plane (little-endian)."""
    dtype, count, text = packed
    size = np.dtype(dtype).itemsize
    raw = np.frombuffer(zlib.decompress(base64.b64decode(text)), np.uint8)
    if raw.size != size * count:
        raise ValueError('a packed array of the script is damaged (%d bytes, expected %d)' % (raw.size, size * count))
    return raw.reshape(size, count).T.copy().view(dtype).reshape(count)
`;
