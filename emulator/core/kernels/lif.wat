;; Bit-accurate Loihi CUBA LIF compartment update (Lava PyLifModelBitAcc semantics), WebAssembly
;; SIMD, 4 compartments per vector, 8 per iteration of the main loop (the same four-lane body twice,
;; independent, so the CPU overlaps them: ~13 % faster than one body per iteration on this machine),
;; then one four-lane body, then a scalar tail. The TypeScript model in emulator/core/lif.ts is the reference;
;; test/core/kernel.test.ts checks that both agree bit for bit.
;;
;; Decay T(x, r) = sgn(x)·floor(|x|·r / 4096) (truncation toward zero) needs 36-bit products. With
;; x = h·4096 + l (h = x >> 12 arithmetic, 0 <= l < 4096) and 0 <= r <= 4096 it is computed exactly in
;; 32-bit lanes as h·r + ((l·r + c) >> 12), c = 4095 when x < 0 (rounds the quotient up, i.e.
;; toward zero) and 0 otherwise; |h·r| < 2^24 and l·r + c < 2^25 for |x| < 2^24.
;;
;; Arrays are i32 per compartment; addresses are byte offsets into the imported memory. The
;; addresses of one core's arrays are read from a descriptor of 12 i32 words at $desc:
;;   0 u, 1 v, 2 a (input), 3 ru = 4096 − du − 1, 4 rv = 4096 − dv, 5 bias, 6 vth (already << 6),
;;   7 rc (refractory count), 8 refr, 9 spikes, 10 (out) active compartments, 11 clear
;; With clear ≠ 0 every input word read is set to zero (the input is the core's accumulator slot,
;; consumed by the update).
;;
;; tools/build-wasm.ts derives two more exports from lif_update at build time. lif_update_uniform: the
;; same body with the per-lane loads of ru, rv, bias, vth and refr replaced by vectors of their value
;; at $start, splatted once, for a segment whose compartments share their parameters (a population
;; with scalar parameters, the usual case): five loads fewer per four lanes. lif_update_uniform_active:
;; the same without the statements that count active lanes ($acc), for such a segment with a non-zero
;; bias, where every compartment is active (the caller takes the count; descriptor word 10 then holds
;; only the scalar tail's count).
(module
  (import "env" "memory" (memory 1))

  ;; Update compartments [start, end); spiking compartment indices are appended to `spikes` from
  ;; element `ns` on. Returns the number of spikes written in all; stores the number of active
  ;; compartments (any of u, v, a, bias non-zero) in descriptor word 10.
  (func (export "lif_update")
    (param $desc i32) (param $start i32) (param $end i32) (param $ns i32)
    (result i32)
    (local $u i32) (local $v i32) (local $a i32) (local $ru i32) (local $rv i32)
    (local $bias i32) (local $vth i32) (local $rc i32) (local $refr i32) (local $spikes i32) (local $clear i32)
    (local $i i32) (local $o i32) (local $active i32)
    (local $u0 v128) (local $v0 v128) (local $av v128) (local $b v128) (local $un v128) (local $vn v128)
    (local $r v128) (local $rcv v128) (local $mr v128) (local $sp v128) (local $nz v128) (local $acc v128)
    (local $bits i32) (local $j i32)
    (local $su i32) (local $sv i32) (local $sa i32) (local $sb i32) (local $sun i32) (local $svn i32) (local $src i32) (local $sr i32)
    (local.set $u (i32.load offset=0 (local.get $desc)))
    (local.set $v (i32.load offset=4 (local.get $desc)))
    (local.set $a (i32.load offset=8 (local.get $desc)))
    (local.set $ru (i32.load offset=12 (local.get $desc)))
    (local.set $rv (i32.load offset=16 (local.get $desc)))
    (local.set $bias (i32.load offset=20 (local.get $desc)))
    (local.set $vth (i32.load offset=24 (local.get $desc)))
    (local.set $rc (i32.load offset=28 (local.get $desc)))
    (local.set $refr (i32.load offset=32 (local.get $desc)))
    (local.set $spikes (i32.load offset=36 (local.get $desc)))
    (local.set $clear (i32.load offset=44 (local.get $desc)))
    (local.set $i (local.get $start))
    ;; eight compartments at a time (two four-lane bodies); $acc counts active lanes (a true mask lane is −1)
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $u0 (v128.load (i32.add (local.get $u) (local.get $o))))
        (local.set $v0 (v128.load (i32.add (local.get $v) (local.get $o))))
        (local.set $av (v128.load (i32.add (local.get $a) (local.get $o))))
        (if (local.get $clear)
          (then (v128.store (i32.add (local.get $a) (local.get $o)) (v128.const i32x4 0 0 0 0))))
        (local.set $b (v128.load (i32.add (local.get $bias) (local.get $o))))
        (local.set $acc
          (i32x4.sub (local.get $acc)
            (i32x4.ne
              (v128.or (v128.or (local.get $u0) (local.get $v0)) (v128.or (local.get $av) (local.get $b)))
              (v128.const i32x4 0 0 0 0))))
        ;; u' = T(u, ru) + (a << 6), wrapped once into (−2^23, 2^23]
        (local.set $r (v128.load (i32.add (local.get $ru) (local.get $o))))
        (local.set $un
          (i32x4.add
            (i32x4.add
              (i32x4.mul (i32x4.shr_s (local.get $u0) (i32.const 12)) (local.get $r))
              (i32x4.shr_u
                (i32x4.add
                  (i32x4.mul (v128.and (local.get $u0) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
                  (i32x4.shr_u (i32x4.shr_s (local.get $u0) (i32.const 31)) (i32.const 20)))
                (i32.const 12)))
            (i32x4.shl (local.get $av) (i32.const 6))))
        (local.set $un
          (i32x4.add
            (i32x4.sub (local.get $un)
              (v128.and (i32x4.gt_s (local.get $un) (v128.const i32x4 8388608 8388608 8388608 8388608))
                        (v128.const i32x4 16777216 16777216 16777216 16777216)))
            (v128.and (i32x4.lt_s (local.get $un) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
                      (v128.const i32x4 16777216 16777216 16777216 16777216))))
        (v128.store (i32.add (local.get $u) (local.get $o)) (local.get $un))
        ;; v' = clip(T(v, rv) + u' + bias); spike if v' > vth and not refractory
        (local.set $rcv (v128.load (i32.add (local.get $rc) (local.get $o))))
        (local.set $mr (i32x4.gt_s (local.get $rcv) (v128.const i32x4 0 0 0 0)))
        (local.set $r (v128.load (i32.add (local.get $rv) (local.get $o))))
        (local.set $vn
          (i32x4.add
            (i32x4.add
              (i32x4.add
                (i32x4.mul (i32x4.shr_s (local.get $v0) (i32.const 12)) (local.get $r))
                (i32x4.shr_u
                  (i32x4.add
                    (i32x4.mul (v128.and (local.get $v0) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
                    (i32x4.shr_u (i32x4.shr_s (local.get $v0) (i32.const 31)) (i32.const 20)))
                  (i32.const 12)))
              (local.get $un))
            (local.get $b)))
        (local.set $vn
          (i32x4.min_s
            (i32x4.max_s (local.get $vn) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
            (v128.const i32x4 8388607 8388607 8388607 8388607)))
        (local.set $sp
          (v128.andnot
            (i32x4.gt_s (local.get $vn) (v128.load (i32.add (local.get $vth) (local.get $o))))
            (local.get $mr)))
        ;; v = 0 where refractory or spiking, else v'
        (v128.store (i32.add (local.get $v) (local.get $o))
          (v128.andnot (local.get $vn) (v128.or (local.get $mr) (local.get $sp))))
        ;; rc: refractory lanes count down (a true mask is −1), spiking lanes load refr
        (v128.store (i32.add (local.get $rc) (local.get $o))
          (v128.bitselect
            (v128.load (i32.add (local.get $refr) (local.get $o)))
            (i32x4.add (local.get $rcv) (local.get $mr))
            (local.get $sp)))
        ;; append spiking indices in ascending order
        (local.set $bits (i32x4.bitmask (local.get $sp)))
        (if (local.get $bits)
          (then
            (local.set $j (local.get $i))
            (loop $bl
              (if (i32.and (local.get $bits) (i32.const 1))
                (then
                  (i32.store (i32.add (local.get $spikes) (i32.shl (local.get $ns) (i32.const 2))) (local.get $j))
                  (local.set $ns (i32.add (local.get $ns) (i32.const 1)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (local.set $bits (i32.shr_u (local.get $bits) (i32.const 1)))
              (br_if $bl (local.get $bits)))))
        ;; the same body for compartments i + 4 … i + 7
        (local.set $o (i32.shl (i32.add (local.get $i) (i32.const 4)) (i32.const 2)))
        (local.set $u0 (v128.load (i32.add (local.get $u) (local.get $o))))
        (local.set $v0 (v128.load (i32.add (local.get $v) (local.get $o))))
        (local.set $av (v128.load (i32.add (local.get $a) (local.get $o))))
        (if (local.get $clear)
          (then (v128.store (i32.add (local.get $a) (local.get $o)) (v128.const i32x4 0 0 0 0))))
        (local.set $b (v128.load (i32.add (local.get $bias) (local.get $o))))
        (local.set $acc
          (i32x4.sub (local.get $acc)
            (i32x4.ne
              (v128.or (v128.or (local.get $u0) (local.get $v0)) (v128.or (local.get $av) (local.get $b)))
              (v128.const i32x4 0 0 0 0))))
        ;; u' = T(u, ru) + (a << 6), wrapped once into (−2^23, 2^23]
        (local.set $r (v128.load (i32.add (local.get $ru) (local.get $o))))
        (local.set $un
          (i32x4.add
            (i32x4.add
              (i32x4.mul (i32x4.shr_s (local.get $u0) (i32.const 12)) (local.get $r))
              (i32x4.shr_u
                (i32x4.add
                  (i32x4.mul (v128.and (local.get $u0) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
                  (i32x4.shr_u (i32x4.shr_s (local.get $u0) (i32.const 31)) (i32.const 20)))
                (i32.const 12)))
            (i32x4.shl (local.get $av) (i32.const 6))))
        (local.set $un
          (i32x4.add
            (i32x4.sub (local.get $un)
              (v128.and (i32x4.gt_s (local.get $un) (v128.const i32x4 8388608 8388608 8388608 8388608))
                        (v128.const i32x4 16777216 16777216 16777216 16777216)))
            (v128.and (i32x4.lt_s (local.get $un) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
                      (v128.const i32x4 16777216 16777216 16777216 16777216))))
        (v128.store (i32.add (local.get $u) (local.get $o)) (local.get $un))
        ;; v' = clip(T(v, rv) + u' + bias); spike if v' > vth and not refractory
        (local.set $rcv (v128.load (i32.add (local.get $rc) (local.get $o))))
        (local.set $mr (i32x4.gt_s (local.get $rcv) (v128.const i32x4 0 0 0 0)))
        (local.set $r (v128.load (i32.add (local.get $rv) (local.get $o))))
        (local.set $vn
          (i32x4.add
            (i32x4.add
              (i32x4.add
                (i32x4.mul (i32x4.shr_s (local.get $v0) (i32.const 12)) (local.get $r))
                (i32x4.shr_u
                  (i32x4.add
                    (i32x4.mul (v128.and (local.get $v0) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
                    (i32x4.shr_u (i32x4.shr_s (local.get $v0) (i32.const 31)) (i32.const 20)))
                  (i32.const 12)))
              (local.get $un))
            (local.get $b)))
        (local.set $vn
          (i32x4.min_s
            (i32x4.max_s (local.get $vn) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
            (v128.const i32x4 8388607 8388607 8388607 8388607)))
        (local.set $sp
          (v128.andnot
            (i32x4.gt_s (local.get $vn) (v128.load (i32.add (local.get $vth) (local.get $o))))
            (local.get $mr)))
        ;; v = 0 where refractory or spiking, else v'
        (v128.store (i32.add (local.get $v) (local.get $o))
          (v128.andnot (local.get $vn) (v128.or (local.get $mr) (local.get $sp))))
        ;; rc: refractory lanes count down (a true mask is −1), spiking lanes load refr
        (v128.store (i32.add (local.get $rc) (local.get $o))
          (v128.bitselect
            (v128.load (i32.add (local.get $refr) (local.get $o)))
            (i32x4.add (local.get $rcv) (local.get $mr))
            (local.get $sp)))
        ;; append spiking indices in ascending order
        (local.set $bits (i32x4.bitmask (local.get $sp)))
        (if (local.get $bits)
          (then
            (local.set $j (i32.add (local.get $i) (i32.const 4)))
            (loop $bl
              (if (i32.and (local.get $bits) (i32.const 1))
                (then
                  (i32.store (i32.add (local.get $spikes) (i32.shl (local.get $ns) (i32.const 2))) (local.get $j))
                  (local.set $ns (i32.add (local.get $ns) (i32.const 1)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (local.set $bits (i32.shr_u (local.get $bits) (i32.const 1)))
              (br_if $bl (local.get $bits)))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $vloop)))
    ;; then four at a time (one body)
    (block $vdone4
      (loop $vloop4
        (br_if $vdone4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $u0 (v128.load (i32.add (local.get $u) (local.get $o))))
        (local.set $v0 (v128.load (i32.add (local.get $v) (local.get $o))))
        (local.set $av (v128.load (i32.add (local.get $a) (local.get $o))))
        (if (local.get $clear)
          (then (v128.store (i32.add (local.get $a) (local.get $o)) (v128.const i32x4 0 0 0 0))))
        (local.set $b (v128.load (i32.add (local.get $bias) (local.get $o))))
        (local.set $acc
          (i32x4.sub (local.get $acc)
            (i32x4.ne
              (v128.or (v128.or (local.get $u0) (local.get $v0)) (v128.or (local.get $av) (local.get $b)))
              (v128.const i32x4 0 0 0 0))))
        ;; u' = T(u, ru) + (a << 6), wrapped once into (−2^23, 2^23]
        (local.set $r (v128.load (i32.add (local.get $ru) (local.get $o))))
        (local.set $un
          (i32x4.add
            (i32x4.add
              (i32x4.mul (i32x4.shr_s (local.get $u0) (i32.const 12)) (local.get $r))
              (i32x4.shr_u
                (i32x4.add
                  (i32x4.mul (v128.and (local.get $u0) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
                  (i32x4.shr_u (i32x4.shr_s (local.get $u0) (i32.const 31)) (i32.const 20)))
                (i32.const 12)))
            (i32x4.shl (local.get $av) (i32.const 6))))
        (local.set $un
          (i32x4.add
            (i32x4.sub (local.get $un)
              (v128.and (i32x4.gt_s (local.get $un) (v128.const i32x4 8388608 8388608 8388608 8388608))
                        (v128.const i32x4 16777216 16777216 16777216 16777216)))
            (v128.and (i32x4.lt_s (local.get $un) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
                      (v128.const i32x4 16777216 16777216 16777216 16777216))))
        (v128.store (i32.add (local.get $u) (local.get $o)) (local.get $un))
        ;; v' = clip(T(v, rv) + u' + bias); spike if v' > vth and not refractory
        (local.set $rcv (v128.load (i32.add (local.get $rc) (local.get $o))))
        (local.set $mr (i32x4.gt_s (local.get $rcv) (v128.const i32x4 0 0 0 0)))
        (local.set $r (v128.load (i32.add (local.get $rv) (local.get $o))))
        (local.set $vn
          (i32x4.add
            (i32x4.add
              (i32x4.add
                (i32x4.mul (i32x4.shr_s (local.get $v0) (i32.const 12)) (local.get $r))
                (i32x4.shr_u
                  (i32x4.add
                    (i32x4.mul (v128.and (local.get $v0) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
                    (i32x4.shr_u (i32x4.shr_s (local.get $v0) (i32.const 31)) (i32.const 20)))
                  (i32.const 12)))
              (local.get $un))
            (local.get $b)))
        (local.set $vn
          (i32x4.min_s
            (i32x4.max_s (local.get $vn) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
            (v128.const i32x4 8388607 8388607 8388607 8388607)))
        (local.set $sp
          (v128.andnot
            (i32x4.gt_s (local.get $vn) (v128.load (i32.add (local.get $vth) (local.get $o))))
            (local.get $mr)))
        ;; v = 0 where refractory or spiking, else v'
        (v128.store (i32.add (local.get $v) (local.get $o))
          (v128.andnot (local.get $vn) (v128.or (local.get $mr) (local.get $sp))))
        ;; rc: refractory lanes count down (a true mask is −1), spiking lanes load refr
        (v128.store (i32.add (local.get $rc) (local.get $o))
          (v128.bitselect
            (v128.load (i32.add (local.get $refr) (local.get $o)))
            (i32x4.add (local.get $rcv) (local.get $mr))
            (local.get $sp)))
        ;; append spiking indices in ascending order
        (local.set $bits (i32x4.bitmask (local.get $sp)))
        (if (local.get $bits)
          (then
            (local.set $j (local.get $i))
            (loop $bl4
              (if (i32.and (local.get $bits) (i32.const 1))
                (then
                  (i32.store (i32.add (local.get $spikes) (i32.shl (local.get $ns) (i32.const 2))) (local.get $j))
                  (local.set $ns (i32.add (local.get $ns) (i32.const 1)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (local.set $bits (i32.shr_u (local.get $bits) (i32.const 1)))
              (br_if $bl4 (local.get $bits)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vloop4)))
    (local.set $active
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
        (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
    ;; the remaining compartments one at a time
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $su (i32.load (i32.add (local.get $u) (local.get $o))))
        (local.set $sv (i32.load (i32.add (local.get $v) (local.get $o))))
        (local.set $sa (i32.load (i32.add (local.get $a) (local.get $o))))
        (if (local.get $clear)
          (then (i32.store (i32.add (local.get $a) (local.get $o)) (i32.const 0))))
        (local.set $sb (i32.load (i32.add (local.get $bias) (local.get $o))))
        (if (i32.or (i32.or (local.get $su) (local.get $sv)) (i32.or (local.get $sa) (local.get $sb)))
          (then (local.set $active (i32.add (local.get $active) (i32.const 1)))))
        (local.set $sr (i32.load (i32.add (local.get $ru) (local.get $o))))
        (local.set $sun
          (i32.add
            (i32.add
              (i32.mul (i32.shr_s (local.get $su) (i32.const 12)) (local.get $sr))
              (i32.shr_u
                (i32.add
                  (i32.mul (i32.and (local.get $su) (i32.const 4095)) (local.get $sr))
                  (i32.shr_u (i32.shr_s (local.get $su) (i32.const 31)) (i32.const 20)))
                (i32.const 12)))
            (i32.shl (local.get $sa) (i32.const 6))))
        (if (i32.gt_s (local.get $sun) (i32.const 8388608))
          (then (local.set $sun (i32.sub (local.get $sun) (i32.const 16777216))))
          (else (if (i32.le_s (local.get $sun) (i32.const -8388608))
            (then (local.set $sun (i32.add (local.get $sun) (i32.const 16777216)))))))
        (i32.store (i32.add (local.get $u) (local.get $o)) (local.get $sun))
        (local.set $src (i32.load (i32.add (local.get $rc) (local.get $o))))
        (if (i32.gt_s (local.get $src) (i32.const 0))
          (then
            (i32.store (i32.add (local.get $rc) (local.get $o)) (i32.sub (local.get $src) (i32.const 1)))
            (i32.store (i32.add (local.get $v) (local.get $o)) (i32.const 0)))
          (else
            (local.set $sr (i32.load (i32.add (local.get $rv) (local.get $o))))
            (local.set $svn
              (i32.add
                (i32.add
                  (i32.add
                    (i32.mul (i32.shr_s (local.get $sv) (i32.const 12)) (local.get $sr))
                    (i32.shr_u
                      (i32.add
                        (i32.mul (i32.and (local.get $sv) (i32.const 4095)) (local.get $sr))
                        (i32.shr_u (i32.shr_s (local.get $sv) (i32.const 31)) (i32.const 20)))
                      (i32.const 12)))
                  (local.get $sun))
                (local.get $sb)))
            (if (i32.gt_s (local.get $svn) (i32.const 8388607)) (then (local.set $svn (i32.const 8388607))))
            (if (i32.lt_s (local.get $svn) (i32.const -8388607)) (then (local.set $svn (i32.const -8388607))))
            (if (i32.gt_s (local.get $svn) (i32.load (i32.add (local.get $vth) (local.get $o))))
              (then
                (i32.store (i32.add (local.get $v) (local.get $o)) (i32.const 0))
                (i32.store (i32.add (local.get $rc) (local.get $o)) (i32.load (i32.add (local.get $refr) (local.get $o))))
                (i32.store (i32.add (local.get $spikes) (i32.shl (local.get $ns) (i32.const 2))) (local.get $i))
                (local.set $ns (i32.add (local.get $ns) (i32.const 1))))
              (else (i32.store (i32.add (local.get $v) (local.get $o)) (local.get $svn))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sloop)))
    (i32.store offset=40 (local.get $desc) (local.get $active))
    (local.get $ns))
)
