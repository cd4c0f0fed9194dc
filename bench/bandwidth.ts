// Single-thread memory read bandwidth, measured with a WebAssembly SIMD loop that
// only loads and ORs (no arithmetic to speak of), over a buffer far larger than cache.
import wabtInit from 'wabt';

const WAT = `(module
  (import "env" "memory" (memory 1 65536))
  (func (export "read") (param $p i32) (param $end i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (loop $l
      (local.set $a (v128.or (local.get $a) (v128.load (local.get $p))))
      (local.set $b (v128.or (local.get $b) (v128.load offset=16 (local.get $p))))
      (local.set $c (v128.or (local.get $c) (v128.load offset=32 (local.get $p))))
      (local.set $d (v128.or (local.get $d) (v128.load offset=48 (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end))))
    (i32x4.extract_lane 0 (v128.or (v128.or (local.get $a) (local.get $b)) (v128.or (local.get $c) (local.get $d))))))`;

export async function measureReadBandwidth(bytes = 512 * 1024 * 1024, repeats = 7): Promise<number> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('bw.wat', WAT, { simd: true });
  const bin = mod.toBinary({}).buffer;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1, maximum: 65536 });
  new Uint8Array(memory.buffer).fill(1, 0, bytes); // touch every page
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bin)), { env: { memory } });
  const read = inst.exports['read'] as (p: number, end: number) => number;
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    read(0, bytes);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return bytes / (times[0]! / 1000) / 1e9; // best run: the floor is what the hardware allows
}
