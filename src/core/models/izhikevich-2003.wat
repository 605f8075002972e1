;; The Euler update of the Izhikevich (2003) network (izhikevich-2003.ts, Izhikevich2003Range's
;; integrateExcitatory and integrateInhibitory), two neurons per instruction in f64x2 lanes.
;;
;; Same bits as the JavaScript loops: WebAssembly's f64 arithmetic is IEEE 754 binary64 with
;; round-to-nearest, lane by lane, and nothing is fused or reordered; each expression below is the
;; JavaScript one, operation for operation, in its order of evaluation:
;;   kick  = deliverE·Σexc + deliverI·Σinh
;;   v_new = (k2·v + k1)·v + ((v + dt·(((140 − u) + σ·z) + I_ext)) + kick)
;;   u_new = uDecay·u + uGain·v_new                   (excitatory: a = 0.02, b = 0.2)
;;   u_new = (1 − dt·a)·u + ((dt·a)·b)·v_new           (inhibitory)
;; I_ext is read when $external is 1; +0 otherwise, as the JavaScript loops do.
;;
;; The memory is the network's per-neuron array (v | u | z | I_ext | Σexc,Σinh | a | b | c | d, N
;; numbers each, Σ 2N, starting at byte $x), its list of who fired and a block of constants per
;; range. tools/build-wasm.mjs assembles this file twice — importing a shared memory (threads) and
;; a plain one — into izhikevich-2003.wasm.ts; a test checks that file is this one assembled.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Neurons $from … $to − 1 ($to − $from even) of the excitatory kind. $fired: the byte address of
  ;; the next free entry of the list of who fired, $count: entries already there from this range;
  ;; returns the new count. $k: the byte address of the range's constants, 8 bytes each:
  ;;   0 dt, 8 k2 = 0.04·dt, 16 k1 = 5·dt, 24 uDecay = 1 − dt·a, 32 uGain = dt·a·b, 40 vPeak,
  ;;   48 σ, 56 deliverE, 64 deliverI; the two lanes of Σ v_new are written at 72 and 80 (not
  ;;   finite: a v or u diverged, or the sum overflowed; the caller then looks for the neuron).
  (func (export "excitatory") (param $x i32) (param $n i32) (param $from i32) (param $to i32) (param $fired i32) (param $count i32) (param $k i32) (param $external i32) (result i32)
    (local $pv i32) (local $pu i32) (local $pz i32) (local $pi i32) (local $ps i32) (local $i i32) (local $mask i32)
    (local $dt v128) (local $k2 v128) (local $k1 v128) (local $uDecay v128) (local $uGain v128) (local $peak v128)
    (local $sigma v128) (local $deliverE v128) (local $deliverI v128)
    (local $v v128) (local $u v128) (local $s0 v128) (local $s1 v128) (local $vNew v128) (local $sum v128)
    (local.set $dt (v128.load64_splat (local.get $k)))
    (local.set $k2 (v128.load64_splat offset=8 (local.get $k)))
    (local.set $k1 (v128.load64_splat offset=16 (local.get $k)))
    (local.set $uDecay (v128.load64_splat offset=24 (local.get $k)))
    (local.set $uGain (v128.load64_splat offset=32 (local.get $k)))
    (local.set $peak (v128.load64_splat offset=40 (local.get $k)))
    (local.set $sigma (v128.load64_splat offset=48 (local.get $k)))
    (local.set $deliverE (v128.load64_splat offset=56 (local.get $k)))
    (local.set $deliverI (v128.load64_splat offset=64 (local.get $k)))
    (local.set $pv (i32.add (local.get $x) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $pu (i32.add (local.get $pv) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $pz (i32.add (local.get $pu) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $pi (i32.add (local.get $pz) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $ps (i32.add (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 5))) (i32.shl (local.get $from) (i32.const 4))))
    (local.set $i (local.get $from))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_s (local.get $i) (local.get $to)))
        (local.set $v (v128.load (local.get $pv)))
        (local.set $u (v128.load (local.get $pu)))
        ;; Σexc,Σinh of neuron i, then of i + 1; read and cleared.
        (local.set $s0 (v128.load (local.get $ps)))
        (local.set $s1 (v128.load offset=16 (local.get $ps)))
        (v128.store (local.get $ps) (v128.const i64x2 0 0))
        (v128.store offset=16 (local.get $ps) (v128.const i64x2 0 0))
        (local.set $vNew
          (f64x2.add
            (f64x2.mul (f64x2.add (f64x2.mul (local.get $k2) (local.get $v)) (local.get $k1)) (local.get $v))
            (f64x2.add
              (f64x2.add
                (local.get $v)
                (f64x2.mul
                  (local.get $dt)
                  (f64x2.add
                    (f64x2.add (f64x2.sub (v128.const f64x2 140 140) (local.get $u)) (f64x2.mul (local.get $sigma) (v128.load (local.get $pz))))
                    (select (v128.load (local.get $pi)) (v128.const i64x2 0 0) (local.get $external)))))
              ;; kick: the Σexc lanes (bytes 0–7 of each) and the Σinh lanes (bytes 8–15).
              (f64x2.add
                (f64x2.mul (local.get $deliverE) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1)))
                (f64x2.mul (local.get $deliverI) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1)))))))
        (v128.store (local.get $pv) (local.get $vNew))
        (v128.store (local.get $pu) (f64x2.add (f64x2.mul (local.get $uDecay) (local.get $u)) (f64x2.mul (local.get $uGain) (local.get $vNew))))
        (local.set $mask (i64x2.bitmask (f64x2.ge (local.get $vNew) (local.get $peak))))
        (if (local.get $mask)
          (then
            (if (i32.and (local.get $mask) (i32.const 1))
              (then
                (i32.store (local.get $fired) (local.get $i))
                (local.set $fired (i32.add (local.get $fired) (i32.const 4)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (if (i32.and (local.get $mask) (i32.const 2))
              (then
                (i32.store (local.get $fired) (i32.add (local.get $i) (i32.const 1)))
                (local.set $fired (i32.add (local.get $fired) (i32.const 4)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))))
        (local.set $sum (f64x2.add (local.get $sum) (local.get $vNew)))
        (local.set $pv (i32.add (local.get $pv) (i32.const 16)))
        (local.set $pu (i32.add (local.get $pu) (i32.const 16)))
        (local.set $pz (i32.add (local.get $pz) (i32.const 16)))
        (local.set $pi (i32.add (local.get $pi) (i32.const 16)))
        (local.set $ps (i32.add (local.get $ps) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (v128.store offset=72 (local.get $k) (local.get $sum))
    (local.get $count))

  ;; Neurons $from … $to − 1 ($to − $from even) of the inhibitory kind, each with its own a and b
  ;; (sections 6 and 7). Arguments and constants as for excitatory (uDecay and uGain unused).
  (func (export "inhibitory") (param $x i32) (param $n i32) (param $from i32) (param $to i32) (param $fired i32) (param $count i32) (param $k i32) (param $external i32) (result i32)
    (local $pv i32) (local $pu i32) (local $pz i32) (local $pi i32) (local $ps i32) (local $pa i32) (local $i i32) (local $mask i32)
    (local $dt v128) (local $k2 v128) (local $k1 v128) (local $peak v128)
    (local $sigma v128) (local $deliverE v128) (local $deliverI v128)
    (local $v v128) (local $u v128) (local $s0 v128) (local $s1 v128) (local $vNew v128) (local $aDt v128) (local $sum v128)
    (local.set $dt (v128.load64_splat (local.get $k)))
    (local.set $k2 (v128.load64_splat offset=8 (local.get $k)))
    (local.set $k1 (v128.load64_splat offset=16 (local.get $k)))
    (local.set $peak (v128.load64_splat offset=40 (local.get $k)))
    (local.set $sigma (v128.load64_splat offset=48 (local.get $k)))
    (local.set $deliverE (v128.load64_splat offset=56 (local.get $k)))
    (local.set $deliverI (v128.load64_splat offset=64 (local.get $k)))
    (local.set $pv (i32.add (local.get $x) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $pu (i32.add (local.get $pv) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $pz (i32.add (local.get $pu) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $pi (i32.add (local.get $pz) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $ps (i32.add (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 5))) (i32.shl (local.get $from) (i32.const 4))))
    ;; a at section 6; b, one section further, at $pa + 8N.
    (local.set $pa (i32.add (local.get $pv) (i32.mul (local.get $n) (i32.const 48))))
    (local.set $i (local.get $from))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_s (local.get $i) (local.get $to)))
        (local.set $v (v128.load (local.get $pv)))
        (local.set $u (v128.load (local.get $pu)))
        (local.set $s0 (v128.load (local.get $ps)))
        (local.set $s1 (v128.load offset=16 (local.get $ps)))
        (v128.store (local.get $ps) (v128.const i64x2 0 0))
        (v128.store offset=16 (local.get $ps) (v128.const i64x2 0 0))
        (local.set $aDt (f64x2.mul (local.get $dt) (v128.load (local.get $pa))))
        (local.set $vNew
          (f64x2.add
            (f64x2.mul (f64x2.add (f64x2.mul (local.get $k2) (local.get $v)) (local.get $k1)) (local.get $v))
            (f64x2.add
              (f64x2.add
                (local.get $v)
                (f64x2.mul
                  (local.get $dt)
                  (f64x2.add
                    (f64x2.add (f64x2.sub (v128.const f64x2 140 140) (local.get $u)) (f64x2.mul (local.get $sigma) (v128.load (local.get $pz))))
                    (select (v128.load (local.get $pi)) (v128.const i64x2 0 0) (local.get $external)))))
              (f64x2.add
                (f64x2.mul (local.get $deliverE) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1)))
                (f64x2.mul (local.get $deliverI) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1)))))))
        (v128.store (local.get $pv) (local.get $vNew))
        ;; b is at $pa + 8N: read through the address, the offset being a run-time value.
        (v128.store (local.get $pu)
          (f64x2.add
            (f64x2.mul (f64x2.sub (v128.const f64x2 1 1) (local.get $aDt)) (local.get $u))
            (f64x2.mul (f64x2.mul (local.get $aDt) (v128.load (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 3))))) (local.get $vNew))))
        (local.set $mask (i64x2.bitmask (f64x2.ge (local.get $vNew) (local.get $peak))))
        (if (local.get $mask)
          (then
            (if (i32.and (local.get $mask) (i32.const 1))
              (then
                (i32.store (local.get $fired) (local.get $i))
                (local.set $fired (i32.add (local.get $fired) (i32.const 4)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (if (i32.and (local.get $mask) (i32.const 2))
              (then
                (i32.store (local.get $fired) (i32.add (local.get $i) (i32.const 1)))
                (local.set $fired (i32.add (local.get $fired) (i32.const 4)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))))
        (local.set $sum (f64x2.add (local.get $sum) (local.get $vNew)))
        (local.set $pv (i32.add (local.get $pv) (i32.const 16)))
        (local.set $pu (i32.add (local.get $pu) (i32.const 16)))
        (local.set $pz (i32.add (local.get $pz) (i32.const 16)))
        (local.set $pi (i32.add (local.get $pi) (i32.const 16)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $ps (i32.add (local.get $ps) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (v128.store offset=72 (local.get $k) (local.get $sum))
    (local.get $count))

  ;; Sparse propagation (Izhikevich2003Range.propagateSparse): each spike in the list from byte
  ;; $fired to $firedEnd adds the U(0, 1) weights of its row to Σexc (an excitatory neuron j <
  ;; $excitatory) or Σinh of its targets. Records are 8 bytes (target i32, weight f32) from byte
  ;; $records; the row part of neuron j that targets this range is records starts[j] … ends[j +
  ;; $endShift] − 1 (i32 arrays at bytes $starts and $ends). The sums are exact (multiples of 2^−24
  ;; far below 2^53: izhikevich-2003.ts, header point 3), so any order gives the same bits. The
  ;; rows are far apart in memory and the sums are read at random: four rows are walked side by
  ;; side (as the JavaScript loop does), to have four times as many loads in flight.
  (func (export "propagate") (param $x i32) (param $n i32) (param $fired i32) (param $firedEnd i32) (param $records i32) (param $starts i32) (param $ends i32) (param $endShift i32) (param $excitatory i32)
    (local $sums i32) (local $j i32) (local $sum i32)
    (local $at0 i32) (local $at1 i32) (local $at2 i32) (local $at3 i32)
    (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $k3 i32)
    (local $e0 i32) (local $e1 i32) (local $e2 i32) (local $e3 i32)
    ;; Σexc of target t at $sums + 16t, Σinh at $sums + 16t + 8.
    (local.set $sums (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 5))))
    (local.set $ends (i32.add (local.get $ends) (i32.shl (local.get $endShift) (i32.const 2))))
    ;; Four spikes at a time; the last one to three with rows 1–3 empty.
    (block $done
      (loop $spikes
        (br_if $done (i32.ge_u (local.get $fired) (local.get $firedEnd)))
        (local.set $j (i32.load offset=0 (local.get $fired)))
        (local.set $at0 (select (local.get $sums) (i32.add (local.get $sums) (i32.const 8)) (i32.lt_s (local.get $j) (local.get $excitatory))))
        (local.set $k0 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $starts) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
        (local.set $e0 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $ends) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
        (local.set $e1 (i32.const 0))
        (local.set $e2 (i32.const 0))
        (local.set $e3 (i32.const 0))
        (local.set $k1 (i32.const 0))
        (local.set $k2 (i32.const 0))
        (local.set $k3 (i32.const 0))
        (if (i32.lt_u (i32.add (local.get $fired) (i32.const 4)) (local.get $firedEnd)) (then
          (local.set $j (i32.load offset=4 (local.get $fired)))
          (local.set $at1 (select (local.get $sums) (i32.add (local.get $sums) (i32.const 8)) (i32.lt_s (local.get $j) (local.get $excitatory))))
          (local.set $k1 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $starts) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
          (local.set $e1 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $ends) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
        ))
        (if (i32.lt_u (i32.add (local.get $fired) (i32.const 8)) (local.get $firedEnd)) (then
          (local.set $j (i32.load offset=8 (local.get $fired)))
          (local.set $at2 (select (local.get $sums) (i32.add (local.get $sums) (i32.const 8)) (i32.lt_s (local.get $j) (local.get $excitatory))))
          (local.set $k2 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $starts) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
          (local.set $e2 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $ends) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
        ))
        (if (i32.lt_u (i32.add (local.get $fired) (i32.const 12)) (local.get $firedEnd)) (then
          (local.set $j (i32.load offset=12 (local.get $fired)))
          (local.set $at3 (select (local.get $sums) (i32.add (local.get $sums) (i32.const 8)) (i32.lt_s (local.get $j) (local.get $excitatory))))
          (local.set $k3 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $starts) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
          (local.set $e3 (i32.add (local.get $records) (i32.shl (i32.load (i32.add (local.get $ends) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
        ))
        (block $together
          (loop $four
            (br_if $together (i32.ge_u (local.get $k0) (local.get $e0)))
            (br_if $together (i32.ge_u (local.get $k1) (local.get $e1)))
            (br_if $together (i32.ge_u (local.get $k2) (local.get $e2)))
            (br_if $together (i32.ge_u (local.get $k3) (local.get $e3)))
            (local.set $sum (i32.add (local.get $at0) (i32.shl (i32.load (local.get $k0)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k0)))))
            (local.set $k0 (i32.add (local.get $k0) (i32.const 8)))
            (local.set $sum (i32.add (local.get $at1) (i32.shl (i32.load (local.get $k1)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k1)))))
            (local.set $k1 (i32.add (local.get $k1) (i32.const 8)))
            (local.set $sum (i32.add (local.get $at2) (i32.shl (i32.load (local.get $k2)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k2)))))
            (local.set $k2 (i32.add (local.get $k2) (i32.const 8)))
            (local.set $sum (i32.add (local.get $at3) (i32.shl (i32.load (local.get $k3)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k3)))))
            (local.set $k3 (i32.add (local.get $k3) (i32.const 8)))
            (br $four)))
        (block $rest0
          (loop $more0
            (br_if $rest0 (i32.ge_u (local.get $k0) (local.get $e0)))
            (local.set $sum (i32.add (local.get $at0) (i32.shl (i32.load (local.get $k0)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k0)))))
            (local.set $k0 (i32.add (local.get $k0) (i32.const 8)))
            (br $more0)))
        (block $rest1
          (loop $more1
            (br_if $rest1 (i32.ge_u (local.get $k1) (local.get $e1)))
            (local.set $sum (i32.add (local.get $at1) (i32.shl (i32.load (local.get $k1)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k1)))))
            (local.set $k1 (i32.add (local.get $k1) (i32.const 8)))
            (br $more1)))
        (block $rest2
          (loop $more2
            (br_if $rest2 (i32.ge_u (local.get $k2) (local.get $e2)))
            (local.set $sum (i32.add (local.get $at2) (i32.shl (i32.load (local.get $k2)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k2)))))
            (local.set $k2 (i32.add (local.get $k2) (i32.const 8)))
            (br $more2)))
        (block $rest3
          (loop $more3
            (br_if $rest3 (i32.ge_u (local.get $k3) (local.get $e3)))
            (local.set $sum (i32.add (local.get $at3) (i32.shl (i32.load (local.get $k3)) (i32.const 4))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.promote_f32 (f32.load offset=4 (local.get $k3)))))
            (local.set $k3 (i32.add (local.get $k3) (i32.const 8)))
            (br $more3)))
        (local.set $fired (i32.add (local.get $fired) (i32.const 16)))
        (br $spikes))))
)
