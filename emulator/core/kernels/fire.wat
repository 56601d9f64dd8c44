;; The fire phase of one core (docs/TIMING.md "output pipeline"), in WebAssembly: every spike of the
;; step looks up its output axons and makes one AER packet per destination core, timed through the
;; core's bounded injection queue. The TypeScript path is the reference and stays in use where this
;; kernel is not bound (NeuroCore.fire, system/timeline.ts outputTimeline, InjectionQueue.push);
;; test/system/fire-kernel.test.ts checks that both agree bit for bit.
;;
;; Addresses are byte offsets into the imported memory (the core's kernel arena). A descriptor of
;; FIRE_DESCRIPTOR_WORDS i32 words at $desc (kernels/index.ts writes it once per core):
;;   0 spikes (i32 local indices, written by the compartment update)
;;   1 outStart (u32, nComp + 1)   2 outDstCore (u32)   3 outDstAxon (u32)
;;   4 globalIndex (u32 per compartment)   5 popOfLocal (u16 per compartment)
;;   6 segLocal (i32 per segment: its first local compartment)   7 number of segments
;;   8 injection queue depth
;;   out, shared scratch of the arena:
;;   9 packet destination cores (u32)   10 packet axons (u32)   11 packet injection times (f64)
;;   12 packet populations (u16)        13 spikes as global compartment indices (u32)
;;   14 packets per segment (i32)       15 the queue's ring (f64 × depth)
;;   16 result (f64 × 3): [0] out: when the pipeline finishes; [1] in/out: the queue's cumulative
;;      stall (ps); [2] in/out: its cumulative stall count
;;   17 the core's place index (attribution below)   18 the core's id (each packet's source)
;;   19 packet source cores (u32, shared scratch)
;;
;; fire_step runs the update and fire phases of a range of cores in one call (the engine's step loop
;; without per-core JavaScript): per core, the LIF kernel's variants (imported from lif.wat's
;; instance) over its segments with the step's accumulator slot read and zeroed in place, then the
;; fire body above, the packets of every core one after the other in the scratch. A core record of
;; i32 words (CORE_RECORD_WORDS, kernels/fire.ts) per core, addressed from a table at $table:
;;   0 fire descriptor   1 LIF descriptor   2 byte offset of the core's ring   3 ring slots
;;   4 compartments      5 segments         6 segment table (i32 × 4: local, count, LIF variant, 0)
;;   7 segment results (i32 × 4: active compartments, spikes, packets, 0)
;;   8 core results (f64 × 8): active, inactive, spikes, packets, when its updates end, when its
;;     output pipeline ends, its queue's cumulative stall (ps) and stall count (both in/out)
;;
;; With $attr ≠ 0 each packet is also attributed to its sending population and the source chip
;; (system/noc.ts attributePacket: flits, E-W and N-S hops within chips, chip-link hops and
;; within-tile deliveries of a minimal route), from an attribution descriptor of i32 words at $attr:
;;   0 coreIndexOf (i32 per core id)   1 gx   2 gy   3 cx   4 cy (i32 per place index)
;;   5 by population (f64, 5 per population)   6 by chip (f64, 5 per chip)   7 chips in x   8 flits per packet
(module
  (import "env" "memory" (memory 1))
  ;; lif.wat's exports by LifVariant (general, uniform, uniform-active)
  (import "lif" "general" (func $lif0 (param i32 i32 i32 i32) (result i32)))
  (import "lif" "uniform" (func $lif1 (param i32 i32 i32 i32) (result i32)))
  (import "lif" "active" (func $lif2 (param i32 i32 i32 i32) (result i32)))

  ;; Attribute one packet from place $s to the place of core id $dstCore, population $pop.
  (func $attribute (param $attr i32) (param $s i32) (param $dstCore i32) (param $pop i32)
    (local $d i32) (local $gx i32) (local $gy i32) (local $cx i32) (local $cy i32) (local $F i32)
    (local $dx i32) (local $dy i32) (local $cxl i32) (local $cyl i32) (local $within f64) (local $row i32)
    (local.set $d (i32.load (i32.add (i32.load offset=0 (local.get $attr)) (i32.shl (local.get $dstCore) (i32.const 2)))))
    (local.set $gx (i32.load offset=4 (local.get $attr)))
    (local.set $gy (i32.load offset=8 (local.get $attr)))
    (local.set $cx (i32.load offset=12 (local.get $attr)))
    (local.set $cy (i32.load offset=16 (local.get $attr)))
    (local.set $F (i32.load offset=32 (local.get $attr)))
    (local.set $dx (call $absdiff (local.get $gx) (local.get $s) (local.get $d)))
    (local.set $dy (call $absdiff (local.get $gy) (local.get $s) (local.get $d)))
    (local.set $cxl (call $absdiff (local.get $cx) (local.get $s) (local.get $d)))
    (local.set $cyl (call $absdiff (local.get $cy) (local.get $s) (local.get $d)))
    (local.set $within (f64.convert_i32_s (i32.and (i32.eqz (local.get $dx)) (i32.eqz (local.get $dy)))))
    ;; the population's row, then the source chip's row
    (call $addRow
      (i32.add (i32.load offset=20 (local.get $attr)) (i32.mul (local.get $pop) (i32.const 40)))
      (local.get $F) (local.get $dx) (local.get $dy) (local.get $cxl) (local.get $cyl) (local.get $within))
    (local.set $row
      (i32.add
        (i32.mul (i32.load (i32.add (local.get $cy) (i32.shl (local.get $s) (i32.const 2)))) (i32.load offset=28 (local.get $attr)))
        (i32.load (i32.add (local.get $cx) (i32.shl (local.get $s) (i32.const 2))))))
    (call $addRow
      (i32.add (i32.load offset=24 (local.get $attr)) (i32.mul (local.get $row) (i32.const 40)))
      (local.get $F) (local.get $dx) (local.get $dy) (local.get $cxl) (local.get $cyl) (local.get $within)))

  ;; |a[s] − a[d]| of an i32 array at $a
  (func $absdiff (param $a i32) (param $s i32) (param $d i32) (result i32)
    (local $x i32)
    (local.set $x
      (i32.sub
        (i32.load (i32.add (local.get $a) (i32.shl (local.get $s) (i32.const 2))))
        (i32.load (i32.add (local.get $a) (i32.shl (local.get $d) (i32.const 2))))))
    (select (local.get $x) (i32.sub (i32.const 0) (local.get $x)) (i32.ge_s (local.get $x) (i32.const 0))))

  ;; row[0..4] += F, F·(dx − cxl), F·(dy − cyl), F·(cxl + cyl), within (integer values: exact in f64)
  (func $addRow (param $row i32) (param $F i32) (param $dx i32) (param $dy i32) (param $cxl i32) (param $cyl i32) (param $within f64)
    (f64.store offset=0 (local.get $row) (f64.add (f64.load offset=0 (local.get $row)) (f64.convert_i32_s (local.get $F))))
    (f64.store offset=8 (local.get $row)
      (f64.add (f64.load offset=8 (local.get $row)) (f64.convert_i32_s (i32.mul (local.get $F) (i32.sub (local.get $dx) (local.get $cxl))))))
    (f64.store offset=16 (local.get $row)
      (f64.add (f64.load offset=16 (local.get $row)) (f64.convert_i32_s (i32.mul (local.get $F) (i32.sub (local.get $dy) (local.get $cyl))))))
    (f64.store offset=24 (local.get $row)
      (f64.add (f64.load offset=24 (local.get $row)) (f64.convert_i32_s (i32.mul (local.get $F) (i32.add (local.get $cxl) (local.get $cyl))))))
    (f64.store offset=32 (local.get $row) (f64.add (f64.load offset=32 (local.get $row)) (local.get $within))))

  ;; Fire `ns` spikes: returns the number of packets written to the scratch columns.
  ;; $updateEnd: when the compartment updates end (ps); $spikeOut, $msgOut: per spike and per packet
  ;; times of the output pipeline; $serial: the injection port's time per packet; $nominal ≠ 0: no
  ;; queue (the cycle NoC applies it), each packet at its nominal production time.
  (func (export "fire_core")
    (param $desc i32) (param $ns i32) (param $updateEnd f64) (param $spikeOut f64) (param $msgOut f64)
    (param $serial f64) (param $nominal i32) (param $attr i32)
    (result i32)
    (call $fire (local.get $desc) (local.get $ns) (local.get $updateEnd) (local.get $spikeOut) (local.get $msgOut)
      (local.get $serial) (local.get $nominal) (local.get $attr) (i32.const 0) (i32.const 0)))

  ;; Update and fire cores [$lo, $hi): returns the packets written (from 0); the spikes written are
  ;; the sum of the cores' spike results.
  (func (export "fire_step")
    (param $table i32) (param $lo i32) (param $hi i32) (param $t i32) (param $nominal i32) (param $attr i32)
    (param $spikeOut f64) (param $msgOut f64) (param $serial f64) (param $activePs f64) (param $inactivePs f64)
    (result i32)
    (local $ci i32) (local $rec i32) (local $lif i32) (local $nSeg i32) (local $seg i32) (local $segOut i32)
    (local $out i32) (local $s i32) (local $local i32) (local $count i32) (local $variant i32) (local $ns i32)
    (local $before i32) (local $a i32) (local $act i32) (local $inact i32) (local $updateEnd f64)
    (local $P i32) (local $S i32) (local $n i32) (local $fdesc i32) (local $res i32) (local $segPk i32)
    (local.set $ci (local.get $lo))
    (block $done
      (loop $core
        (br_if $done (i32.ge_s (local.get $ci) (local.get $hi)))
        (local.set $rec (i32.load (i32.add (local.get $table) (i32.shl (local.get $ci) (i32.const 2)))))
        (local.set $lif (i32.load offset=4 (local.get $rec)))
        ;; the kernel reads (and zeroes) this step's accumulator slot in place (LifBinding.setInput)
        (i32.store offset=8 (local.get $lif)
          (i32.add (i32.load offset=8 (local.get $rec))
            (i32.mul (i32.mul (i32.rem_u (local.get $t) (i32.load offset=12 (local.get $rec))) (i32.load offset=16 (local.get $rec))) (i32.const 4))))
        (i32.store offset=44 (local.get $lif) (i32.const 1))
        (local.set $nSeg (i32.load offset=20 (local.get $rec)))
        (local.set $seg (i32.load offset=24 (local.get $rec)))
        (local.set $segOut (i32.load offset=28 (local.get $rec)))
        (local.set $out (i32.load offset=32 (local.get $rec)))
        (local.set $ns (i32.const 0))
        (local.set $act (i32.const 0))
        (local.set $inact (i32.const 0))
        (local.set $s (i32.const 0))
        (block $sdone
          (loop $segs
            (br_if $sdone (i32.ge_s (local.get $s) (local.get $nSeg)))
            (local.set $local (i32.load offset=0 (local.get $seg)))
            (local.set $count (i32.load offset=4 (local.get $seg)))
            ;; an empty range takes the general kernel (kernels/index.ts pick)
            (local.set $variant (select (i32.load offset=8 (local.get $seg)) (i32.const 0) (i32.gt_s (local.get $count) (i32.const 0))))
            (local.set $before (local.get $ns))
            (if (i32.eq (local.get $variant) (i32.const 2))
              (then
                (local.set $ns (call $lif2 (local.get $lif) (local.get $local) (i32.add (local.get $local) (local.get $count)) (local.get $ns)))
                (local.set $a (local.get $count)))
              (else
                (if (i32.eq (local.get $variant) (i32.const 1))
                  (then (local.set $ns (call $lif1 (local.get $lif) (local.get $local) (i32.add (local.get $local) (local.get $count)) (local.get $ns))))
                  (else (local.set $ns (call $lif0 (local.get $lif) (local.get $local) (i32.add (local.get $local) (local.get $count)) (local.get $ns)))))
                (local.set $a (i32.load offset=40 (local.get $lif)))))
            (i32.store offset=0 (local.get $segOut) (local.get $a))
            (i32.store offset=4 (local.get $segOut) (i32.sub (local.get $ns) (local.get $before)))
            (local.set $act (i32.add (local.get $act) (local.get $a)))
            (local.set $inact (i32.add (local.get $inact) (i32.sub (local.get $count) (local.get $a))))
            (local.set $seg (i32.add (local.get $seg) (i32.const 16)))
            (local.set $segOut (i32.add (local.get $segOut) (i32.const 16)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $segs)))
        ;; the core's timeline: compartment updates, then the output pipeline
        (local.set $updateEnd
          (f64.add (f64.mul (f64.convert_i32_s (local.get $act)) (local.get $activePs))
                   (f64.mul (f64.convert_i32_s (local.get $inact)) (local.get $inactivePs))))
        (f64.store offset=0 (local.get $out) (f64.convert_i32_s (local.get $act)))
        (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $inact)))
        (f64.store offset=16 (local.get $out) (f64.convert_i32_s (local.get $ns)))
        (f64.store offset=32 (local.get $out) (local.get $updateEnd))
        (local.set $fdesc (i32.load offset=0 (local.get $rec)))
        (local.set $res (i32.load offset=64 (local.get $fdesc)))
        (f64.store offset=8 (local.get $res) (f64.load offset=48 (local.get $out)))
        (f64.store offset=16 (local.get $res) (f64.load offset=56 (local.get $out)))
        (local.set $n
          (call $fire (local.get $fdesc) (local.get $ns) (local.get $updateEnd) (local.get $spikeOut) (local.get $msgOut)
            (local.get $serial) (local.get $nominal) (local.get $attr) (local.get $P) (local.get $S)))
        (f64.store offset=24 (local.get $out) (f64.convert_i32_s (local.get $n)))
        (f64.store offset=40 (local.get $out) (f64.load offset=0 (local.get $res)))
        (f64.store offset=48 (local.get $out) (f64.load offset=8 (local.get $res)))
        (f64.store offset=56 (local.get $out) (f64.load offset=16 (local.get $res)))
        ;; packets per segment, from the fire body's scratch
        (local.set $segPk (i32.load offset=56 (local.get $fdesc)))
        (local.set $segOut (i32.load offset=28 (local.get $rec)))
        (local.set $s (i32.const 0))
        (block $pdone
          (loop $pk
            (br_if $pdone (i32.ge_s (local.get $s) (local.get $nSeg)))
            (i32.store offset=8 (i32.add (local.get $segOut) (i32.shl (local.get $s) (i32.const 4)))
              (i32.load (i32.add (local.get $segPk) (i32.shl (local.get $s) (i32.const 2)))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $pk)))
        (local.set $P (i32.add (local.get $P) (local.get $n)))
        (local.set $S (i32.add (local.get $S) (local.get $ns)))
        (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
        (br $core)))
    (local.get $P))

  ;; The fire body: packets are written from index $p0 of the scratch columns, spikes from $s0.
  (func $fire
    (param $desc i32) (param $ns i32) (param $updateEnd f64) (param $spikeOut f64) (param $msgOut f64)
    (param $serial f64) (param $nominal i32) (param $attr i32) (param $p0 i32) (param $s0 i32)
    (result i32)
    (local $spikes i32) (local $outStart i32) (local $outCore i32) (local $outAxon i32) (local $gidx i32)
    (local $pops i32) (local $segLocal i32) (local $nSeg i32) (local $depth i32)
    (local $pkDst i32) (local $pkAxon i32) (local $pkInject i32) (local $pkPop i32) (local $spikeGid i32)
    (local $segPk i32) (local $ring i32) (local $res i32) (local $place i32) (local $pkSrc i32) (local $src i32)
    (local $k i32) (local $c i32) (local $s i32) (local $j i32) (local $b i32) (local $n i32) (local $pop i32)
    (local $clock f64) (local $produced f64) (local $oldest f64) (local $earliest f64) (local $inject f64)
    (local $lastInject f64) (local $stallPs f64) (local $stalls f64) (local $head i32) (local $count i32) (local $at i32)
    (local.set $spikes (i32.load offset=0 (local.get $desc)))
    (local.set $outStart (i32.load offset=4 (local.get $desc)))
    (local.set $outCore (i32.load offset=8 (local.get $desc)))
    (local.set $outAxon (i32.load offset=12 (local.get $desc)))
    (local.set $gidx (i32.load offset=16 (local.get $desc)))
    (local.set $pops (i32.load offset=20 (local.get $desc)))
    (local.set $segLocal (i32.load offset=24 (local.get $desc)))
    (local.set $nSeg (i32.load offset=28 (local.get $desc)))
    (local.set $depth (i32.load offset=32 (local.get $desc)))
    (local.set $pkDst (i32.load offset=36 (local.get $desc)))
    (local.set $pkAxon (i32.load offset=40 (local.get $desc)))
    (local.set $pkInject (i32.load offset=44 (local.get $desc)))
    (local.set $pkPop (i32.load offset=48 (local.get $desc)))
    (local.set $spikeGid (i32.load offset=52 (local.get $desc)))
    (local.set $segPk (i32.load offset=56 (local.get $desc)))
    (local.set $ring (i32.load offset=60 (local.get $desc)))
    (local.set $res (i32.load offset=64 (local.get $desc)))
    (local.set $place (i32.load offset=68 (local.get $desc)))
    (local.set $src (i32.load offset=72 (local.get $desc)))
    (local.set $pkSrc (i32.load offset=76 (local.get $desc)))
    (local.set $n (local.get $p0))
    (local.set $stallPs (f64.load offset=8 (local.get $res)))
    (local.set $stalls (f64.load offset=16 (local.get $res)))
    ;; packets per segment start at 0
    (local.set $s (i32.const 0))
    (block $zdone
      (loop $z
        (br_if $zdone (i32.ge_s (local.get $s) (local.get $nSeg)))
        (i32.store (i32.add (local.get $segPk) (i32.shl (local.get $s) (i32.const 2))) (i32.const 0))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $z)))
    ;; the queue drains at every barrier: empty at the start of the step
    (local.set $lastInject (f64.const -inf))
    (local.set $clock (local.get $updateEnd))
    (local.set $k (i32.const 0))
    (block $sdone
      (loop $spike
        (br_if $sdone (i32.ge_s (local.get $k) (local.get $ns)))
        (local.set $c (i32.load (i32.add (local.get $spikes) (i32.shl (local.get $k) (i32.const 2)))))
        (i32.store (i32.add (local.get $spikeGid) (i32.shl (i32.add (local.get $s0) (local.get $k)) (i32.const 2)))
          (i32.load (i32.add (local.get $gidx) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $pop (i32.load16_u (i32.add (local.get $pops) (i32.shl (local.get $c) (i32.const 1)))))
        (local.set $j (i32.load (i32.add (local.get $outStart) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $b (i32.load (i32.add (local.get $outStart) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
        ;; the spike's packets count to the last segment that starts at or before it (NeuroCore.fire)
        (local.set $s (i32.const 0))
        (block $found
          (loop $seg
            (br_if $found (i32.ge_s (i32.add (local.get $s) (i32.const 1)) (local.get $nSeg)))
            (br_if $found (i32.gt_s
              (i32.load (i32.add (local.get $segLocal) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2))))
              (local.get $c)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $seg)))
        (i32.store (i32.add (local.get $segPk) (i32.shl (local.get $s) (i32.const 2)))
          (i32.add
            (i32.load (i32.add (local.get $segPk) (i32.shl (local.get $s) (i32.const 2))))
            (i32.sub (local.get $b) (local.get $j))))
        ;; axon lookup
        (local.set $clock (f64.add (local.get $clock) (local.get $spikeOut)))
        (block $pdone
          (loop $packet
            (br_if $pdone (i32.ge_u (local.get $j) (local.get $b)))
            (i32.store (i32.add (local.get $pkSrc) (i32.shl (local.get $n) (i32.const 2))) (local.get $src))
            (i32.store (i32.add (local.get $pkDst) (i32.shl (local.get $n) (i32.const 2)))
              (i32.load (i32.add (local.get $outCore) (i32.shl (local.get $j) (i32.const 2)))))
            (i32.store (i32.add (local.get $pkAxon) (i32.shl (local.get $n) (i32.const 2)))
              (i32.load (i32.add (local.get $outAxon) (i32.shl (local.get $j) (i32.const 2)))))
            (i32.store16 (i32.add (local.get $pkPop) (i32.shl (local.get $n) (i32.const 1))) (local.get $pop))
            (if (local.get $attr)
              (then
                (call $attribute (local.get $attr) (local.get $place)
                  (i32.load (i32.add (local.get $outCore) (i32.shl (local.get $j) (i32.const 2)))) (local.get $pop))))
            (if (local.get $nominal)
              (then
                (local.set $clock (f64.add (local.get $clock) (local.get $msgOut)))
                (local.set $inject (local.get $clock)))
              (else
                ;; InjectionQueue.push(clock + msgOut)
                (local.set $produced (f64.add (local.get $clock) (local.get $msgOut)))
                (if (i32.eq (local.get $count) (local.get $depth))
                  (then
                    ;; full: wait until the oldest queued packet has been injected
                    (local.set $oldest (f64.load (i32.add (local.get $ring) (i32.shl (local.get $head) (i32.const 3)))))
                    (if (f64.gt (local.get $oldest) (local.get $produced))
                      (then
                        (local.set $stallPs (f64.add (local.get $stallPs) (f64.sub (local.get $oldest) (local.get $produced))))
                        (local.set $stalls (f64.add (local.get $stalls) (f64.const 1)))
                        (local.set $produced (local.get $oldest))))
                    (local.set $head (i32.add (local.get $head) (i32.const 1)))
                    (if (i32.eq (local.get $head) (local.get $depth)) (then (local.set $head (i32.const 0))))
                    (local.set $count (i32.sub (local.get $count) (i32.const 1)))))
                (local.set $earliest (f64.add (local.get $lastInject) (local.get $serial)))
                (local.set $inject
                  (select (local.get $produced) (local.get $earliest) (f64.gt (local.get $produced) (local.get $earliest))))
                (local.set $lastInject (local.get $inject))
                (local.set $at (i32.add (local.get $head) (local.get $count)))
                (if (i32.ge_s (local.get $at) (local.get $depth)) (then (local.set $at (i32.sub (local.get $at) (local.get $depth)))))
                (f64.store (i32.add (local.get $ring) (i32.shl (local.get $at) (i32.const 3))) (local.get $inject))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $clock (local.get $produced))))
            (f64.store (i32.add (local.get $pkInject) (i32.shl (local.get $n) (i32.const 3))) (local.get $inject))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $packet)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $spike)))
    (f64.store offset=0 (local.get $res) (local.get $clock))
    (f64.store offset=8 (local.get $res) (local.get $stallPs))
    (f64.store offset=16 (local.get $res) (local.get $stalls))
    (i32.sub (local.get $n) (local.get $p0)))
)
