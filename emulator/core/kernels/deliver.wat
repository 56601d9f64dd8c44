;; The receive phase of one algorithmic step (phase 4 of emulator/system/emulator.ts, without
;; crossbars) in WebAssembly: the delivery order, every owned core's synaptic ops and counters, and
;; every core's receive timeline. The TypeScript path (Emulator.deliverPhase with DeliveryOrder and
;; NeuroCore.receive/receiveGraded) is the reference; test/system/receive-kernel.test.ts checks that
;; both agree bit for bit. The JavaScript side is emulator/system/receive-kernel.ts.
;;
;; Everything lives in the imported memory (the system's kernel arena); addresses are byte offsets.
;; System descriptor (i32 words at $sys):
;;   0 cores (count)            1 coreIndexOf (i32 per global core id)   2 core descriptors (16 words each)
;;   3 packet dstCore (u32)     4 packet dstAxon (u32)                   5 packet payload (i32)
;;   6 packet arrivePs (f64)    7 order (u32)                            8 merge buffer (u32)
;;   9 coreStart (u32, cores + 1)  10 fill cursor (u32, cores)           11 packet core index (i32)
;;   12 coreFree (f64)          13 coreFinish (f64)                      14 coreBusyPs (f64)
;; Core descriptor (i32 words):
;;   0 synStart (u32)  1 synDest  2 synDest is u32 (else u16)  3 synWeight (i16)  4 synDelay (u8)
;;   5 axonSegSynapses (u32)  6 segments  7 ring (i32)  8 ring slots  9 ring slot stride (elements)
;;   10 axonSpiked (u8; 0 = the core does not learn)  11 segSynops (f64)  12 segPacketsIn (f64)
;;   13 step counters (f64: synops, packets in)
;;
;; Exports: deliver (the phase) and delivery_order (the order alone, for tests of it).
;;
;; Floating point: the timeline is evaluated in the order of the TypeScript expressions
;; (start + messageIn) + synapses · synop, so results are IEEE-identical. Integer accumulators wrap
;; as 32-bit two's complement, as the Int32Array stores of the TypeScript path do.
(module
  (import "env" "memory" (memory 1))

  ;; Stable insertion sort of order[a, b) by key[order[i]] (f64); ties keep their order.
  (func $isort (param $order i32) (param $key i32) (param $a i32) (param $b i32)
    (local $i i32) (local $j i32) (local $v i32) (local $k f64) (local $u i32)
    (local.set $i (i32.add (local.get $a) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
        (local.set $v (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $k (f64.load (i32.add (local.get $key) (i32.shl (local.get $v) (i32.const 3)))))
        (local.set $j (local.get $i))
        ;; shift the larger keys of [a, i) one place up
        (block $placed
          (loop $shift
            (br_if $placed (i32.le_u (local.get $j) (local.get $a)))
            (local.set $u (i32.load (i32.add (local.get $order) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2)))))
            (br_if $placed (i32.eqz (f64.gt (f64.load (i32.add (local.get $key) (i32.shl (local.get $u) (i32.const 3)))) (local.get $k))))
            (i32.store (i32.add (local.get $order) (i32.shl (local.get $j) (i32.const 2))) (local.get $u))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $shift)))
        (i32.store (i32.add (local.get $order) (i32.shl (local.get $j) (i32.const 2))) (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Stable sort of order[a, b) by key (f64 per packet): insertion-sorted runs of 16, then bottom-up
  ;; merges between order and tmp (same index range). A stable sort's result is unique, so it equals
  ;; DeliveryOrder's (top-down) merge sort.
  (func $sort (param $order i32) (param $tmp i32) (param $key i32) (param $a i32) (param $b i32)
    (local $l i32) (local $m i32) (local $h i32) (local $i i32) (local $j i32) (local $o i32)
    (local $w i32) (local $src i32) (local $dst i32) (local $vi i32) (local $vj i32) (local $x i32)
    (local.set $l (local.get $a))
    (block $runs
      (loop $run
        (br_if $runs (i32.ge_u (local.get $l) (local.get $b)))
        (local.set $h (i32.add (local.get $l) (i32.const 16)))
        (if (i32.gt_u (local.get $h) (local.get $b)) (then (local.set $h (local.get $b))))
        (call $isort (local.get $order) (local.get $key) (local.get $l) (local.get $h))
        (local.set $l (local.get $h))
        (br $run)))
    (if (i32.le_u (i32.sub (local.get $b) (local.get $a)) (i32.const 16)) (then (return)))
    (local.set $src (local.get $order))
    (local.set $dst (local.get $tmp))
    (local.set $w (i32.const 16))
    (block $passes
      (loop $pass
        (br_if $passes (i32.ge_u (local.get $w) (i32.sub (local.get $b) (local.get $a))))
        (local.set $l (local.get $a))
        (block $pairs
          (loop $pair
            (br_if $pairs (i32.ge_u (local.get $l) (local.get $b)))
            (local.set $m (i32.add (local.get $l) (local.get $w)))
            (if (i32.gt_u (local.get $m) (local.get $b)) (then (local.set $m (local.get $b))))
            (local.set $h (i32.add (local.get $m) (local.get $w)))
            (if (i32.gt_u (local.get $h) (local.get $b)) (then (local.set $h (local.get $b))))
            (local.set $i (local.get $l))
            (local.set $j (local.get $m))
            (local.set $o (local.get $l))
            ;; take the right element only when its key is strictly smaller (stable)
            (block $merged
              (loop $merge
                (br_if $merged (i32.ge_u (local.get $i) (local.get $m)))
                (br_if $merged (i32.ge_u (local.get $j) (local.get $h)))
                (local.set $vi (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
                (local.set $vj (i32.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))
                (if (f64.lt
                      (f64.load (i32.add (local.get $key) (i32.shl (local.get $vj) (i32.const 3))))
                      (f64.load (i32.add (local.get $key) (i32.shl (local.get $vi) (i32.const 3)))))
                  (then
                    (i32.store (i32.add (local.get $dst) (i32.shl (local.get $o) (i32.const 2))) (local.get $vj))
                    (local.set $j (i32.add (local.get $j) (i32.const 1))))
                  (else
                    (i32.store (i32.add (local.get $dst) (i32.shl (local.get $o) (i32.const 2))) (local.get $vi))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))
                (br $merge)))
            (block $left
              (loop $copyl
                (br_if $left (i32.ge_u (local.get $i) (local.get $m)))
                (i32.store (i32.add (local.get $dst) (i32.shl (local.get $o) (i32.const 2)))
                  (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))
                (br $copyl)))
            (block $right
              (loop $copyr
                (br_if $right (i32.ge_u (local.get $j) (local.get $h)))
                (i32.store (i32.add (local.get $dst) (i32.shl (local.get $o) (i32.const 2)))
                  (i32.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))
                (br $copyr)))
            (local.set $l (local.get $h))
            (br $pair)))
        (local.set $x (local.get $src))
        (local.set $src (local.get $dst))
        (local.set $dst (local.get $x))
        (local.set $w (i32.shl (local.get $w) (i32.const 1)))
        (br $pass)))
    ;; the sorted run ended in the merge buffer: copy it back
    (if (i32.ne (local.get $src) (local.get $order))
      (then
        (local.set $i (local.get $a))
        (block $back
          (loop $copy
            (br_if $back (i32.ge_u (local.get $i) (local.get $b)))
            (i32.store (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))
              (i32.load (i32.add (local.get $tmp) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $copy))))))

  ;; Group the $n packets by destination core index (counting sort, stable): fills order[0, n) and
  ;; coreStart[0, cores]; each core's packets are then in batch order (deliver sorts them by arrival).
  (func $count_sort (param $sys i32) (param $n i32)
    (local $nc i32) (local $cio i32) (local $dstc i32) (local $order i32) (local $start i32) (local $cursor i32) (local $pcore i32)
    (local $i i32) (local $c i32) (local $p i32) (local $addr i32)
    (local.set $nc (i32.load offset=0 (local.get $sys)))
    (local.set $cio (i32.load offset=4 (local.get $sys)))
    (local.set $dstc (i32.load offset=12 (local.get $sys)))
    (local.set $order (i32.load offset=28 (local.get $sys)))
    (local.set $start (i32.load offset=36 (local.get $sys)))
    (local.set $cursor (i32.load offset=40 (local.get $sys)))
    (local.set $pcore (i32.load offset=44 (local.get $sys)))
    (local.set $c (i32.const 0))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.gt_u (local.get $c) (local.get $nc)))
        (i32.store (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2))) (i32.const 0))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $zero)))
    (local.set $i (i32.const 0))
    (block $counted_all
      (loop $count
        (br_if $counted_all (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c
          (i32.load (i32.add (local.get $cio)
            (i32.shl (i32.load (i32.add (local.get $dstc) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))))
        (i32.store (i32.add (local.get $pcore) (i32.shl (local.get $i) (i32.const 2))) (local.get $c))
        (local.set $addr (i32.add (local.get $start) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2))))
        (i32.store (local.get $addr) (i32.add (i32.load (local.get $addr)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count)))
    (local.set $c (i32.const 0))
    (block $summed
      (loop $sum
        (br_if $summed (i32.ge_u (local.get $c) (local.get $nc)))
        (local.set $addr (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2))))
        (i32.store (i32.add (local.get $cursor) (i32.shl (local.get $c) (i32.const 2))) (i32.load (local.get $addr)))
        (i32.store offset=4 (local.get $addr) (i32.add (i32.load offset=4 (local.get $addr)) (i32.load (local.get $addr))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $sum)))
    (local.set $i (i32.const 0))
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $addr
          (i32.add (local.get $cursor) (i32.shl (i32.load (i32.add (local.get $pcore) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (local.set $p (i32.load (local.get $addr)))
        (i32.store (i32.add (local.get $order) (i32.shl (local.get $p) (i32.const 2))) (local.get $i))
        (i32.store (local.get $addr) (i32.add (local.get $p) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill))))

  ;; The delivery order alone (tests; deliver does the same): packets grouped by destination core
  ;; index, each core's by arrival time (stable). Fills order[0, n) and coreStart[0, cores].
  (func (export "delivery_order") (param $sys i32) (param $n i32)
    (local $c i32) (local $nc i32) (local $start i32) (local $k i32) (local $kend i32)
    (call $count_sort (local.get $sys) (local.get $n))
    (local.set $nc (i32.load offset=0 (local.get $sys)))
    (local.set $start (i32.load offset=36 (local.get $sys)))
    (block $done
      (loop $core
        (br_if $done (i32.ge_u (local.get $c) (local.get $nc)))
        (local.set $k (i32.load (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $kend (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2)))))
        (if (i32.gt_u (i32.sub (local.get $kend) (local.get $k)) (i32.const 1))
          (then
            (call $sort (i32.load offset=28 (local.get $sys)) (i32.load offset=32 (local.get $sys)) (i32.load offset=24 (local.get $sys))
              (local.get $k) (local.get $kend))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $core))))

  ;; One step's receive phase over the $n packets in the packet columns: cores [lo, hi) run their
  ;; synaptic ops (into the ring slot of step t + 1 + delay) and counters; every core runs its
  ;; timeline. Returns the step's critical path: the latest core finish (ps).
  (func (export "deliver")
    (param $sys i32) (param $t i32) (param $n i32) (param $lo i32) (param $hi i32) (param $msgIn f64) (param $synop f64)
    (result f64)
    (local $nc i32) (local $cores i32) (local $axons i32) (local $pay i32) (local $arr i32)
    (local $order i32) (local $tmp i32) (local $start i32)
    (local $free i32) (local $finish i32) (local $busy i32)
    (local $i i32) (local $c i32) (local $k i32) (local $kend i32) (local $cd i32)
    (local $synStart i32) (local $dest i32) (local $wide i32) (local $wt i32) (local $dl i32) (local $axseg i32) (local $S i32)
    (local $ring i32) (local $slots i32) (local $stride i32) (local $spiked i32) (local $segSyn i32) (local $segIn i32) (local $stepIn i32)
    (local $owned i32) (local $axon i32) (local $sa i32) (local $sb i32) (local $mul i32) (local $b0 i32) (local $x i32) (local $j i32)
    (local $s i32) (local $cnt i32) (local $counted i32) (local $row i32) (local $addr i32)
    (local $fr f64) (local $fin f64) (local $at f64) (local $st f64) (local $crit f64) (local $syn f64)
    (local.set $nc (i32.load offset=0 (local.get $sys)))
    (local.set $cores (i32.load offset=8 (local.get $sys)))
    (local.set $axons (i32.load offset=16 (local.get $sys)))
    (local.set $pay (i32.load offset=20 (local.get $sys)))
    (local.set $arr (i32.load offset=24 (local.get $sys)))
    (local.set $order (i32.load offset=28 (local.get $sys)))
    (local.set $tmp (i32.load offset=32 (local.get $sys)))
    (local.set $start (i32.load offset=36 (local.get $sys)))
    (local.set $free (i32.load offset=48 (local.get $sys)))
    (local.set $finish (i32.load offset=52 (local.get $sys)))
    (local.set $busy (i32.load offset=56 (local.get $sys)))

    ;; delivery order: counting sort by destination core index (stable)
    (call $count_sort (local.get $sys) (local.get $n))
    ;; per core in index order: its packets by arrival time, synaptic ops (owned cores), timeline
    (local.set $c (i32.const 0))
    (block $cores_done
      (loop $core
        (br_if $cores_done (i32.ge_u (local.get $c) (local.get $nc)))
        (local.set $k (i32.load (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $kend (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $fr (f64.load (i32.add (local.get $free) (i32.shl (local.get $c) (i32.const 3)))))
        (local.set $fin (f64.load (i32.add (local.get $finish) (i32.shl (local.get $c) (i32.const 3)))))
        (if (i32.lt_u (local.get $k) (local.get $kend))
          (then
            (if (i32.gt_u (i32.sub (local.get $kend) (local.get $k)) (i32.const 1))
              (then (call $sort (local.get $order) (local.get $tmp) (local.get $arr) (local.get $k) (local.get $kend))))
            (local.set $cd (i32.add (local.get $cores) (i32.shl (local.get $c) (i32.const 6))))
            (local.set $synStart (i32.load offset=0 (local.get $cd)))
            (local.set $dest (i32.load offset=4 (local.get $cd)))
            (local.set $wide (i32.load offset=8 (local.get $cd)))
            (local.set $wt (i32.load offset=12 (local.get $cd)))
            (local.set $dl (i32.load offset=16 (local.get $cd)))
            (local.set $axseg (i32.load offset=20 (local.get $cd)))
            (local.set $S (i32.load offset=24 (local.get $cd)))
            (local.set $ring (i32.load offset=28 (local.get $cd)))
            (local.set $slots (i32.load offset=32 (local.get $cd)))
            (local.set $stride (i32.load offset=36 (local.get $cd)))
            (local.set $spiked (i32.load offset=40 (local.get $cd)))
            (local.set $segSyn (i32.load offset=44 (local.get $cd)))
            (local.set $segIn (i32.load offset=48 (local.get $cd)))
            (local.set $stepIn (i32.load offset=52 (local.get $cd)))
            (local.set $owned (i32.and (i32.ge_u (local.get $c) (local.get $lo)) (i32.lt_u (local.get $c) (local.get $hi))))
            ;; slot of step t + 1 (delays add to it, modulo the slots)
            (if (i32.gt_u (local.get $slots) (i32.const 1))
              (then (local.set $b0 (i32.rem_u (i32.add (local.get $t) (i32.const 1)) (local.get $slots)))))
            (block $packets_done
              (loop $packet
                (br_if $packets_done (i32.ge_u (local.get $k) (local.get $kend)))
                (local.set $i (i32.load (i32.add (local.get $order) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $axon (i32.load (i32.add (local.get $axons) (i32.shl (local.get $i) (i32.const 2)))))
                (local.set $addr (i32.add (local.get $synStart) (i32.shl (local.get $axon) (i32.const 2))))
                (local.set $sa (i32.load (local.get $addr)))
                (local.set $sb (i32.load offset=4 (local.get $addr)))
                (local.set $syn (f64.convert_i32_u (i32.sub (local.get $sb) (local.get $sa))))
                (if (local.get $owned)
                  (then
                    ;; binary packets (payload 0) add the weight: weight × 1
                    (local.set $mul (i32.load (i32.add (local.get $pay) (i32.shl (local.get $i) (i32.const 2)))))
                    (if (i32.eqz (local.get $mul)) (then (local.set $mul (i32.const 1))))
                    (local.set $j (local.get $sa))
                    (if (i32.eq (local.get $slots) (i32.const 1))
                      (then
                        (if (local.get $wide)
                          (then
                            (block $d1
                              (loop $l1
                                (br_if $d1 (i32.ge_u (local.get $j) (local.get $sb)))
                                (local.set $x (i32.add (local.get $ring)
                                  (i32.shl (i32.load (i32.add (local.get $dest) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 2))))
                                (i32.store (local.get $x)
                                  (i32.add (i32.load (local.get $x))
                                    (i32.mul (i32.load16_s (i32.add (local.get $wt) (i32.shl (local.get $j) (i32.const 1)))) (local.get $mul))))
                                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                                (br $l1))))
                          (else
                            (block $d2
                              (loop $l2
                                (br_if $d2 (i32.ge_u (local.get $j) (local.get $sb)))
                                (local.set $x (i32.add (local.get $ring)
                                  (i32.shl (i32.load16_u (i32.add (local.get $dest) (i32.shl (local.get $j) (i32.const 1)))) (i32.const 2))))
                                (i32.store (local.get $x)
                                  (i32.add (i32.load (local.get $x))
                                    (i32.mul (i32.load16_s (i32.add (local.get $wt) (i32.shl (local.get $j) (i32.const 1)))) (local.get $mul))))
                                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                                (br $l2))))))
                      (else
                        (block $d3
                          (loop $l3
                            (br_if $d3 (i32.ge_u (local.get $j) (local.get $sb)))
                            ;; slot (t + 1 + delay) mod slots
                            (local.set $s (i32.add (local.get $b0) (i32.load8_u (i32.add (local.get $dl) (local.get $j)))))
                            (if (i32.ge_u (local.get $s) (local.get $slots))
                              (then (local.set $s (i32.rem_u (local.get $s) (local.get $slots)))))
                            (local.set $x
                              (i32.add (i32.mul (local.get $s) (local.get $stride))
                                (if (result i32) (local.get $wide)
                                  (then (i32.load (i32.add (local.get $dest) (i32.shl (local.get $j) (i32.const 2)))))
                                  (else (i32.load16_u (i32.add (local.get $dest) (i32.shl (local.get $j) (i32.const 1))))))))
                            (local.set $x (i32.add (local.get $ring) (i32.shl (local.get $x) (i32.const 2))))
                            (i32.store (local.get $x)
                              (i32.add (i32.load (local.get $x))
                                (i32.mul (i32.load16_s (i32.add (local.get $wt) (i32.shl (local.get $j) (i32.const 1)))) (local.get $mul))))
                            (local.set $j (i32.add (local.get $j) (i32.const 1)))
                            (br $l3)))))
                    ;; counters: learning flag, per step, per segment
                    (if (local.get $spiked)
                      (then (i32.store8 (i32.add (local.get $spiked) (local.get $axon)) (i32.const 1))))
                    (f64.store offset=0 (local.get $stepIn) (f64.add (f64.load offset=0 (local.get $stepIn)) (local.get $syn)))
                    (f64.store offset=8 (local.get $stepIn) (f64.add (f64.load offset=8 (local.get $stepIn)) (f64.const 1)))
                    (if (i32.eq (local.get $S) (i32.const 1))
                      (then
                        (f64.store (local.get $segSyn) (f64.add (f64.load (local.get $segSyn)) (local.get $syn)))
                        (f64.store (local.get $segIn) (f64.add (f64.load (local.get $segIn)) (f64.const 1))))
                      (else
                        ;; synops to the segments of their targets; the packet to the first segment it reaches
                        (local.set $row (i32.add (local.get $axseg) (i32.shl (i32.mul (local.get $axon) (local.get $S)) (i32.const 2))))
                        (local.set $counted (i32.const 0))
                        (local.set $s (i32.const 0))
                        (block $segs_done
                          (loop $seg
                            (br_if $segs_done (i32.ge_u (local.get $s) (local.get $S)))
                            (local.set $cnt (i32.load (i32.add (local.get $row) (i32.shl (local.get $s) (i32.const 2)))))
                            (local.set $addr (i32.add (local.get $segSyn) (i32.shl (local.get $s) (i32.const 3))))
                            (f64.store (local.get $addr) (f64.add (f64.load (local.get $addr)) (f64.convert_i32_u (local.get $cnt))))
                            (if (i32.and (i32.ne (local.get $cnt) (i32.const 0)) (i32.eqz (local.get $counted)))
                              (then
                                (local.set $addr (i32.add (local.get $segIn) (i32.shl (local.get $s) (i32.const 3))))
                                (f64.store (local.get $addr) (f64.add (f64.load (local.get $addr)) (f64.const 1)))
                                (local.set $counted (i32.const 1))))
                            (local.set $s (i32.add (local.get $s) (i32.const 1)))
                            (br $seg)))))))
                ;; timeline: synaptic ops start at max(arrival, core free); the arrival bounds the step too
                (local.set $at (f64.load (i32.add (local.get $arr) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $st (select (local.get $at) (local.get $fr) (f64.gt (local.get $at) (local.get $fr))))
                (local.set $fr (f64.add (f64.add (local.get $st) (local.get $msgIn)) (f64.mul (local.get $syn) (local.get $synop))))
                (if (f64.gt (local.get $fr) (local.get $fin)) (then (local.set $fin (local.get $fr))))
                (if (f64.gt (local.get $at) (local.get $fin)) (then (local.set $fin (local.get $at))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $packet)))))
        (f64.store (i32.add (local.get $free) (i32.shl (local.get $c) (i32.const 3))) (local.get $fr))
        (f64.store (i32.add (local.get $finish) (i32.shl (local.get $c) (i32.const 3))) (local.get $fin))
        (local.set $addr (i32.add (local.get $busy) (i32.shl (local.get $c) (i32.const 3))))
        (f64.store (local.get $addr) (f64.add (f64.load (local.get $addr)) (local.get $fin)))
        (if (f64.gt (local.get $fin) (local.get $crit)) (then (local.set $crit (local.get $fin))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $core)))
    (local.get $crit))
)
