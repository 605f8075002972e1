;; The inner loop of counter-random.ts's fillCounterNormals — xoshiro128** making a block's words
;; and the table method turning each word into two deviates — for four blocks at a time, one per
;; i32x4 lane. Each lane runs exactly the JavaScript loop of fillBlock (the same 32-bit integer
;; operations, the same words in the same order, the same table entries), so the deviates are the
;; same numbers; only four blocks advance side by side instead of one after another.
;;
;; scripts/build-wasm.ts assembles this file (shared and plain memory) into
;; counter-random.wasm.ts; a test checks that file is this one assembled.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; $groups groups of four consecutive blocks of 256 items (NORMAL_BLOCK), the first at byte
  ;; $out (Float64, block after block). $states: per group 64 bytes, the xoshiro states of its
  ;; four blocks word by word (s0 of blocks 0–3, then s1, s2, s3: one i32x4 each), as Philox gave
  ;; them. $table: the 65 536 Float32 means of fastNormalTable. $flags: one i32 per group, set to
  ;; 1 when its deviates include a tail bin's ±Infinity (or 0), for the caller to replace them.
  (func (export "normals") (param $out i32) (param $groups i32) (param $states i32) (param $table i32) (param $flags i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $m v128) (local $r v128) (local $t v128)
    (local $sum v128) (local $at i32) (local $turn i32) (local $word i32)
    (block $done
      (loop $group
        (br_if $done (i32.eqz (local.get $groups)))
        (local.set $s0 (v128.load (local.get $states)))
        (local.set $s1 (v128.load offset=16 (local.get $states)))
        (local.set $s2 (v128.load offset=32 (local.get $states)))
        (local.set $s3 (v128.load offset=48 (local.get $states)))
        (local.set $sum (v128.const i64x2 0 0))
        (local.set $at (local.get $out))
        (local.set $turn (i32.const 128))
        (loop $word
          ;; xoshiro128**: r = rotl(s1·5, 7)·9; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11).
          (local.set $m (i32x4.mul (local.get $s1) (v128.const i32x4 5 5 5 5)))
          (local.set $r (i32x4.mul (v128.or (i32x4.shl (local.get $m) (i32.const 7)) (i32x4.shr_u (local.get $m) (i32.const 25))) (v128.const i32x4 9 9 9 9)))
          (local.set $t (i32x4.shl (local.get $s1) (i32.const 9)))
          (local.set $s2 (v128.xor (local.get $s2) (local.get $s0)))
          (local.set $s3 (v128.xor (local.get $s3) (local.get $s1)))
          (local.set $s1 (v128.xor (local.get $s1) (local.get $s2)))
          (local.set $s0 (v128.xor (local.get $s0) (local.get $s3)))
          (local.set $s2 (v128.xor (local.get $s2) (local.get $t)))
          (local.set $s3 (v128.or (i32x4.shl (local.get $s3) (i32.const 11)) (i32x4.shr_u (local.get $s3) (i32.const 21))))
          ;; Lane L's word gives items 2·turn and 2·turn + 1 of block L: table[low 16 bits], table[high
          ;; 16 bits], as two doubles (Float32 → Float64 is exact). Written out four times: a call would
          ;; spill the state vectors.
          (local.set $word (i32x4.extract_lane 0 (local.get $r)))
          (local.set $m (f64x2.promote_low_f32x4
            (v128.load32_lane 1
              (i32.add (local.get $table) (i32.shl (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 2)))
              (v128.load32_zero (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2)))))))
          (v128.store (local.get $at) (local.get $m))
          (local.set $sum (f64x2.add (local.get $sum) (local.get $m)))
          (local.set $word (i32x4.extract_lane 1 (local.get $r)))
          (local.set $m (f64x2.promote_low_f32x4
            (v128.load32_lane 1
              (i32.add (local.get $table) (i32.shl (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 2)))
              (v128.load32_zero (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2)))))))
          (v128.store offset=2048 (local.get $at) (local.get $m))
          (local.set $sum (f64x2.add (local.get $sum) (local.get $m)))
          (local.set $word (i32x4.extract_lane 2 (local.get $r)))
          (local.set $m (f64x2.promote_low_f32x4
            (v128.load32_lane 1
              (i32.add (local.get $table) (i32.shl (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 2)))
              (v128.load32_zero (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2)))))))
          (v128.store offset=4096 (local.get $at) (local.get $m))
          (local.set $sum (f64x2.add (local.get $sum) (local.get $m)))
          (local.set $word (i32x4.extract_lane 3 (local.get $r)))
          (local.set $m (f64x2.promote_low_f32x4
            (v128.load32_lane 1
              (i32.add (local.get $table) (i32.shl (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 2)))
              (v128.load32_zero (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2)))))))
          (v128.store offset=6144 (local.get $at) (local.get $m))
          (local.set $sum (f64x2.add (local.get $sum) (local.get $m)))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (local.set $turn (i32.sub (local.get $turn) (i32.const 1)))
          (br_if $word (local.get $turn)))
        ;; A tail bin's ±Infinity makes the sum ±Infinity or NaN; finite entries cannot overflow it (|t_k| < 5).
        (i32.store (local.get $flags)
          (i32.eqz (i64x2.all_true (f64x2.eq (f64x2.sub (local.get $sum) (local.get $sum)) (v128.const f64x2 0 0)))))
        (local.set $out (i32.add (local.get $out) (i32.const 8192)))
        (local.set $states (i32.add (local.get $states) (i32.const 64)))
        (local.set $flags (i32.add (local.get $flags) (i32.const 4)))
        (local.set $groups (i32.sub (local.get $groups) (i32.const 1)))
        (br $group)))))
