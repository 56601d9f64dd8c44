;; Bit-accurate Loihi CUBA LIF compartment update (Lava PyLifModelBitAcc semantics), WebAssembly
;; SIMD, 4 compartments per vector. The TypeScript model in emulator/core/lif.ts is the reference;
;; test/core/kernel.test.ts checks that both agree bit for bit.
;;
;; Decay T(x, r) = sgn(x)·floor(|x|·r / 4096) needs 36-bit products; with |x| < 2^24 and r < 2^12
;; it is computed exactly in 32-bit lanes as h·r + ((l·r) >> 12), where |x| = h·4096 + l.
;;
;; All arrays are i32 per compartment; addresses are byte offsets into the imported memory.
(module
  (import "env" "memory" (memory 1))

  ;; T(x, r) for four lanes
  (func $decay4 (param $x v128) (param $r v128) (result v128)
    (local $ax v128) (local $d v128)
    (local.set $ax (i32x4.abs (local.get $x)))
    (local.set $d
      (i32x4.add
        (i32x4.mul (i32x4.shr_u (local.get $ax) (i32.const 12)) (local.get $r))
        (i32x4.shr_u
          (i32x4.mul (v128.and (local.get $ax) (v128.const i32x4 4095 4095 4095 4095)) (local.get $r))
          (i32.const 12))))
    (v128.bitselect
      (i32x4.neg (local.get $d))
      (local.get $d)
      (i32x4.lt_s (local.get $x) (v128.const i32x4 0 0 0 0))))

  ;; T(x, r) for one value
  (func $decay1 (param $x i32) (param $r i32) (result i32)
    (local $ax i32) (local $d i32)
    (local.set $ax (select (i32.sub (i32.const 0) (local.get $x)) (local.get $x) (i32.lt_s (local.get $x) (i32.const 0))))
    (local.set $d
      (i32.add
        (i32.mul (i32.shr_u (local.get $ax) (i32.const 12)) (local.get $r))
        (i32.shr_u (i32.mul (i32.and (local.get $ax) (i32.const 4095)) (local.get $r)) (i32.const 12))))
    (select (i32.sub (i32.const 0) (local.get $d)) (local.get $d) (i32.lt_s (local.get $x) (i32.const 0))))

  ;; Update compartments [start, end). Arrays (byte addresses of element 0): u, v, a (input),
  ;; ru = 4096 − du − 1, rv = 4096 − dv, bias, vth (already << 6), rc (refractory count), refr.
  ;; Spiking compartment indices are appended to `spikes` from element `ns0` on.
  ;; Returns (number of spikes written in all, number of active compartments).
  (func (export "lif_update")
    (param $start i32) (param $end i32)
    (param $u i32) (param $v i32) (param $a i32) (param $ru i32) (param $rv i32)
    (param $bias i32) (param $vth i32) (param $rc i32) (param $refr i32)
    (param $spikes i32) (param $ns0 i32)
    (result i32 i32)
    (local $i i32) (local $o i32) (local $ns i32) (local $active i32)
    (local $u0 v128) (local $v0 v128) (local $av v128) (local $b v128) (local $un v128) (local $vn v128)
    (local $rcv v128) (local $mr v128) (local $sp v128) (local $bits i32) (local $j i32)
    (local $su i32) (local $sv i32) (local $sa i32) (local $sb i32) (local $sun i32) (local $svn i32) (local $src i32)
    (local.set $ns (local.get $ns0))
    (local.set $i (local.get $start))
    ;; four compartments at a time
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $u0 (v128.load (i32.add (local.get $u) (local.get $o))))
        (local.set $v0 (v128.load (i32.add (local.get $v) (local.get $o))))
        (local.set $av (v128.load (i32.add (local.get $a) (local.get $o))))
        (local.set $b (v128.load (i32.add (local.get $bias) (local.get $o))))
        ;; active: any of u, v, a, bias non-zero
        (local.set $active
          (i32.add (local.get $active)
            (i32.popcnt (i32x4.bitmask
              (i32x4.ne
                (v128.or (v128.or (local.get $u0) (local.get $v0)) (v128.or (local.get $av) (local.get $b)))
                (v128.const i32x4 0 0 0 0))))))
        ;; u' = T(u, ru) + (a << 6), wrapped once into (−2^23, 2^23]
        (local.set $un
          (i32x4.add
            (call $decay4 (local.get $u0) (v128.load (i32.add (local.get $ru) (local.get $o))))
            (i32x4.shl (local.get $av) (i32.const 6))))
        (local.set $un
          (i32x4.add
            (i32x4.sub (local.get $un)
              (v128.and (i32x4.gt_s (local.get $un) (v128.const i32x4 8388608 8388608 8388608 8388608))
                        (v128.const i32x4 16777216 16777216 16777216 16777216)))
            (v128.and (i32x4.le_s (local.get $un) (v128.const i32x4 -8388608 -8388608 -8388608 -8388608))
                      (v128.const i32x4 16777216 16777216 16777216 16777216))))
        (v128.store (i32.add (local.get $u) (local.get $o)) (local.get $un))
        ;; v' = clip(T(v, rv) + u' + bias); spike if v' > vth and not refractory
        (local.set $rcv (v128.load (i32.add (local.get $rc) (local.get $o))))
        (local.set $mr (i32x4.gt_s (local.get $rcv) (v128.const i32x4 0 0 0 0)))
        (local.set $vn
          (i32x4.add
            (i32x4.add (call $decay4 (local.get $v0) (v128.load (i32.add (local.get $rv) (local.get $o)))) (local.get $un))
            (local.get $b)))
        (local.set $vn
          (i32x4.min_s
            (i32x4.max_s (local.get $vn) (v128.const i32x4 -8388607 -8388607 -8388607 -8388607))
            (v128.const i32x4 8388607 8388607 8388607 8388607)))
        (local.set $sp
          (v128.andnot
            (i32x4.gt_s (local.get $vn) (v128.load (i32.add (local.get $vth) (local.get $o))))
            (local.get $mr)))
        (v128.store (i32.add (local.get $v) (local.get $o))
          (v128.bitselect (v128.const i32x4 0 0 0 0) (local.get $vn) (v128.or (local.get $mr) (local.get $sp))))
        (v128.store (i32.add (local.get $rc) (local.get $o))
          (v128.bitselect
            (i32x4.sub (local.get $rcv) (v128.const i32x4 1 1 1 1))
            (v128.bitselect (v128.load (i32.add (local.get $refr) (local.get $o))) (local.get $rcv) (local.get $sp))
            (local.get $mr)))
        ;; append spiking indices in ascending order
        (local.set $bits (i32x4.bitmask (local.get $sp)))
        (if (local.get $bits)
          (then
            (local.set $j (i32.const 0))
            (loop $bl
              (if (i32.and (local.get $bits) (i32.shl (i32.const 1) (local.get $j)))
                (then
                  (i32.store (i32.add (local.get $spikes) (i32.shl (local.get $ns) (i32.const 2))) (i32.add (local.get $i) (local.get $j)))
                  (local.set $ns (i32.add (local.get $ns) (i32.const 1)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $bl (i32.lt_u (local.get $j) (i32.const 4))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vloop)))
    ;; the remaining compartments one at a time
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $su (i32.load (i32.add (local.get $u) (local.get $o))))
        (local.set $sv (i32.load (i32.add (local.get $v) (local.get $o))))
        (local.set $sa (i32.load (i32.add (local.get $a) (local.get $o))))
        (local.set $sb (i32.load (i32.add (local.get $bias) (local.get $o))))
        (if (i32.or (i32.or (local.get $su) (local.get $sv)) (i32.or (local.get $sa) (local.get $sb)))
          (then (local.set $active (i32.add (local.get $active) (i32.const 1)))))
        (local.set $sun
          (i32.add (call $decay1 (local.get $su) (i32.load (i32.add (local.get $ru) (local.get $o))))
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
            (local.set $svn
              (i32.add (i32.add (call $decay1 (local.get $sv) (i32.load (i32.add (local.get $rv) (local.get $o)))) (local.get $sun))
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
    (local.get $ns)
    (local.get $active))
)
