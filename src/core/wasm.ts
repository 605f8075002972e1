/**
 * WebAssembly kernels: a hot loop written in WebAssembly with 128-bit SIMD (two doubles or four
 * 32-bit words per instruction, no bounds check per access), over the model's own arrays, which
 * then live in a WebAssembly.Memory instead of an ArrayBuffer. The JavaScript loops stay: they
 * run where WebAssembly SIMD is missing (Chrome < 91, Firefox < 89, Safari < 16.4) or a
 * Content-Security-Policy forbids compiling it, and the tests check that both give the same bits.
 *
 * A kernel's text is a .wat file beside its TypeScript (src/core/models/izhikevich-2003.wat,
 * src/core/counter-random.wat); scripts/build-wasm.ts assembles it into <name>.wasm.ts (its bytes
 * in base64, importing a shared memory and a plain one).
 */

/** A kernel's two binaries, as <model>.wasm.ts exports them. */
export interface WasmBinaries {
  SHARED_WASM: string;
  PLAIN_WASM: string;
}

const compiled = new Map<string, WebAssembly.Module | null>();

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The compiled module, or null where this engine cannot run it (no SIMD, no shared memory). */
function compile(base64: string): WebAssembly.Module | null {
  let module = compiled.get(base64);
  if (module === undefined) {
    const bytes = bytesOf(base64);
    module = null;
    // A Content-Security-Policy without 'wasm-unsafe-eval' refuses the compilation: the JavaScript loops then run.
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      try {
        module = new WebAssembly.Module(bytes);
      } catch {
        module = null;
      }
    }
    compiled.set(base64, module);
  }
  return module;
}

let enabled = true;

/**
 * Turns the WebAssembly kernels off (false) or back on, for kernels made from now on: for tests
 * that compare them with the JavaScript loops, and for the bench's comparison of the two.
 */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** Whether kernels made now use `binaries` (on, and this engine validates the variant needed). */
export function wasmKernelUsable(binaries: WasmBinaries, shared: boolean): boolean {
  return enabled && compile(shared ? binaries.SHARED_WASM : binaries.PLAIN_WASM) !== null;
}

/** A memory of at least `bytes` bytes that never grows (so views of it stay valid). */
export function kernelMemory(bytes: number, shared: boolean): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
}

/** Whether `memory` is shared (its buffer a SharedArrayBuffer). */
export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** An instance of the kernel over `memory` (made by kernelMemory; usable: wasmKernelUsable). */
export function instantiateKernel<Exports>(binaries: WasmBinaries, memory: WebAssembly.Memory): Exports {
  const module = compile(isShared(memory) ? binaries.SHARED_WASM : binaries.PLAIN_WASM);
  if (!module) throw new Error('this JavaScript engine cannot run the WebAssembly kernel (wasmKernelUsable says so first)');
  return new WebAssembly.Instance(module, { env: { memory } }).exports as Exports;
}
