;; The analytic NoC model's per-step routing (AnalyticNoc.routeStep in emulator/noc/models.ts, with
;; AnalyticNetwork.beginWindow/addLoad/finishLoads/latency of emulator/noc/analytic.ts) for one
;; step's batch of packets. The TypeScript code is the reference: test/noc/route-wasm.test.ts checks
;; that both agree bit for bit on every output. Every f64 expression keeps the TypeScript evaluation
;; order; JS Math.round is emulated by $round (f64.nearest rounds ties to even, Math.round up).
;;
;; All state lives in the imported memory, laid out by emulator/noc/kernels/index.ts; `setup` reads
;; the addresses (byte offsets) of the arrays and the model's constants from a descriptor once:
;;   i32 words  0 routers R, 1 cores, 2 flits per packet F, 3 packet capacity, 4 pair table mask,
;;              5 path cache present (R <= 1024), then array addresses: 6 routerOf (i32 per core),
;;              7 src (u32), 8 dst (u32), 9 inject (f64), 10 arrive (f64), 11 hops (u16),
;;              12 pair table (i32, -1 empty), 13 pair source router, 14 pair destination router,
;;              15 pair packets, 16 pair latency (f64), 17 pair hops, 18 packet -> pair,
;;              19 load (f64, 6R), 20 portLoad (f64, 25R), 21 wait (f64, 25R), 22 injWait (f64, R),
;;              23 outUsed (i32), 24 outMark (u8), 25 injUsed, 26 injMark, 27 loadUsed, 28 loadMark,
;;              29 pathAt (i32, R*R), 30 pathData (i32 words), 31 linkKind (i8, 4R),
;;              32 linkDelay (i32, 4R), 33 linkFlits (f64, 4R), 34 routerFlits (f64, R),
;;              35 hopsByDir (f64, 4), 36 chipHopsByDir (f64, 4), 37 scalars (f64: flits, packets,
;;              withinTile — the NocCounters scalar fields, copied in and out by the caller),
;;              38-40 the run latency histogram's buckets (f64), used (u16), stats (f64: count, sum,
;;              min, max, buckets listed in used), 41-43 the same of the step latency histogram
;;              (LatencyHistogram in emulator/noc/counters.ts)
;;   f64 at byte 256: unit (clock ps), router pipeline cycles, inject cycles, eject cycles, F
;; A path record (pathData, word offsets) is [H, then per router visited r, out, (r*5 + out)*5 + in];
;; pathAt[src*R + dst] is the offset of a cached record or -1. On a miss the kernel calls the
;; imported `walk(src, dst)`: JavaScript walks the routing plug-in into the scratch record at offset 0,
;; caches it when there is room and returns the record's offset (or throws the routing fault).
;; Latencies of 2^32 ps and more take their histogram bucket from the imported `bucket` (counters.ts
;; bucketOf, whose Math.log2 the kernel does not reproduce).
(module
  (import "env" "memory" (memory 1))
  (import "env" "walk" (func $walk (param i32 i32) (result i32)))
  (import "env" "bucket" (func $bucketLarge (param f64) (result i32)))

  (global $R (mut i32) (i32.const 0))
  (global $cores (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $hasCache (mut i32) (i32.const 0))
  (global $routerOf (mut i32) (i32.const 0))
  (global $src (mut i32) (i32.const 0))
  (global $dst (mut i32) (i32.const 0))
  (global $inject (mut i32) (i32.const 0))
  (global $arrive (mut i32) (i32.const 0))
  (global $hops (mut i32) (i32.const 0))
  (global $table (mut i32) (i32.const 0))
  (global $pSrc (mut i32) (i32.const 0))
  (global $pDst (mut i32) (i32.const 0))
  (global $pN (mut i32) (i32.const 0))
  (global $pLat (mut i32) (i32.const 0))
  (global $pHops (mut i32) (i32.const 0))
  (global $pktPair (mut i32) (i32.const 0))
  (global $load (mut i32) (i32.const 0))
  (global $portLoad (mut i32) (i32.const 0))
  (global $wait (mut i32) (i32.const 0))
  (global $injWait (mut i32) (i32.const 0))
  (global $outUsed (mut i32) (i32.const 0))
  (global $outMark (mut i32) (i32.const 0))
  (global $injUsed (mut i32) (i32.const 0))
  (global $injMark (mut i32) (i32.const 0))
  (global $loadUsed (mut i32) (i32.const 0))
  (global $loadMark (mut i32) (i32.const 0))
  (global $pathAt (mut i32) (i32.const 0))
  (global $pathData (mut i32) (i32.const 0))
  (global $linkKind (mut i32) (i32.const 0))
  (global $linkDelay (mut i32) (i32.const 0))
  (global $linkFlits (mut i32) (i32.const 0))
  (global $routerFlits (mut i32) (i32.const 0))
  (global $hopsByDir (mut i32) (i32.const 0))
  (global $chipHopsByDir (mut i32) (i32.const 0))
  (global $scalars (mut i32) (i32.const 0))
  (global $hRun (mut i32) (i32.const 0))
  (global $hRunUsed (mut i32) (i32.const 0))
  (global $hRunStats (mut i32) (i32.const 0))
  (global $hStep (mut i32) (i32.const 0))
  (global $hStepUsed (mut i32) (i32.const 0))
  (global $hStepStats (mut i32) (i32.const 0))
  (global $unit (mut f64) (f64.const 0))
  (global $routerT (mut f64) (f64.const 0))
  (global $injectDelay (mut f64) (f64.const 0))
  (global $ejectDelay (mut f64) (f64.const 0))
  (global $F (mut f64) (f64.const 0))
  ;; resources listed since the last beginWindow, the hops of the last latency(), pairs in the table
  (global $nOutUsed (mut i32) (i32.const 0))
  (global $nInjUsed (mut i32) (i32.const 0))
  (global $nLoadUsed (mut i32) (i32.const 0))
  (global $lastHops (mut i32) (i32.const 0))
  (global $open (mut i32) (i32.const 0))

  (func (export "setup") (param $d i32)
    (global.set $R (i32.load offset=0 (local.get $d)))
    (global.set $cores (i32.load offset=4 (local.get $d)))
    (global.set $mask (i32.load offset=16 (local.get $d)))
    (global.set $hasCache (i32.load offset=20 (local.get $d)))
    (global.set $routerOf (i32.load offset=24 (local.get $d)))
    (global.set $src (i32.load offset=28 (local.get $d)))
    (global.set $dst (i32.load offset=32 (local.get $d)))
    (global.set $inject (i32.load offset=36 (local.get $d)))
    (global.set $arrive (i32.load offset=40 (local.get $d)))
    (global.set $hops (i32.load offset=44 (local.get $d)))
    (global.set $table (i32.load offset=48 (local.get $d)))
    (global.set $pSrc (i32.load offset=52 (local.get $d)))
    (global.set $pDst (i32.load offset=56 (local.get $d)))
    (global.set $pN (i32.load offset=60 (local.get $d)))
    (global.set $pLat (i32.load offset=64 (local.get $d)))
    (global.set $pHops (i32.load offset=68 (local.get $d)))
    (global.set $pktPair (i32.load offset=72 (local.get $d)))
    (global.set $load (i32.load offset=76 (local.get $d)))
    (global.set $portLoad (i32.load offset=80 (local.get $d)))
    (global.set $wait (i32.load offset=84 (local.get $d)))
    (global.set $injWait (i32.load offset=88 (local.get $d)))
    (global.set $outUsed (i32.load offset=92 (local.get $d)))
    (global.set $outMark (i32.load offset=96 (local.get $d)))
    (global.set $injUsed (i32.load offset=100 (local.get $d)))
    (global.set $injMark (i32.load offset=104 (local.get $d)))
    (global.set $loadUsed (i32.load offset=108 (local.get $d)))
    (global.set $loadMark (i32.load offset=112 (local.get $d)))
    (global.set $pathAt (i32.load offset=116 (local.get $d)))
    (global.set $pathData (i32.load offset=120 (local.get $d)))
    (global.set $linkKind (i32.load offset=124 (local.get $d)))
    (global.set $linkDelay (i32.load offset=128 (local.get $d)))
    (global.set $linkFlits (i32.load offset=132 (local.get $d)))
    (global.set $routerFlits (i32.load offset=136 (local.get $d)))
    (global.set $hopsByDir (i32.load offset=140 (local.get $d)))
    (global.set $chipHopsByDir (i32.load offset=144 (local.get $d)))
    (global.set $scalars (i32.load offset=148 (local.get $d)))
    (global.set $hRun (i32.load offset=152 (local.get $d)))
    (global.set $hRunUsed (i32.load offset=156 (local.get $d)))
    (global.set $hRunStats (i32.load offset=160 (local.get $d)))
    (global.set $hStep (i32.load offset=164 (local.get $d)))
    (global.set $hStepUsed (i32.load offset=168 (local.get $d)))
    (global.set $hStepStats (i32.load offset=172 (local.get $d)))
    (global.set $unit (f64.load offset=256 (local.get $d)))
    (global.set $routerT (f64.load offset=264 (local.get $d)))
    (global.set $injectDelay (f64.load offset=272 (local.get $d)))
    (global.set $ejectDelay (f64.load offset=280 (local.get $d)))
    (global.set $F (f64.load offset=288 (local.get $d))))

  ;; Math.round(x): the nearest integer, ties toward +infinity (-0 stays -0, as in JS)
  (func $round (export "round") (param $x f64) (result f64)
    (local $r f64)
    (local.set $r (f64.ceil (local.get $x)))
    (if (result f64) (f64.gt (f64.sub (local.get $r) (f64.const 0.5)) (local.get $x))
      (then (f64.sub (local.get $r) (f64.const 1)))
      (else (local.get $r))))

  ;; histogram bucket of value v (counters.ts bucketOf: exact below 128, then 64 sub-buckets per
  ;; power of two by integer bit arithmetic below 2^32; JavaScript's bucketOf beyond)
  (func $bucket (export "bucket") (param $v f64) (result i32)
    (local $u f64) (local $ui i32) (local $e i32)
    (local.set $u (if (result f64) (f64.gt (local.get $v) (f64.const 0))
      (then (f64.floor (local.get $v))) (else (f64.const 0))))
    (if (f64.lt (local.get $u) (f64.const 128)) (then (return (i32.trunc_f64_u (local.get $u)))))
    (if (f64.lt (local.get $u) (f64.const 4294967296))
      (then
        (local.set $ui (i32.trunc_f64_u (local.get $u)))
        (local.set $e (i32.sub (i32.const 31) (i32.clz (local.get $ui))))
        (return (i32.add
          (i32.add (i32.const 128) (i32.mul (i32.sub (local.get $e) (i32.const 7)) (i32.const 64)))
          (i32.sub (i32.shr_u (local.get $ui) (i32.sub (local.get $e) (i32.const 6))) (i32.const 64))))))
    (call $bucketLarge (local.get $v)))

  ;; add n samples of value v to the histogram at buckets/used/stats (LatencyHistogram.add)
  (func $histAdd (param $buckets i32) (param $used i32) (param $st i32) (param $v f64) (param $n f64)
    (local $b i32) (local $a i32) (local $k i32)
    (local.set $b (call $bucket (local.get $v)))
    (local.set $a (i32.add (local.get $buckets) (i32.shl (local.get $b) (i32.const 3))))
    (if (f64.eq (f64.load (local.get $a)) (f64.const 0))
      (then
        (local.set $k (i32.trunc_f64_u (f64.load offset=32 (local.get $st))))
        (i32.store16 (i32.add (local.get $used) (i32.shl (local.get $k) (i32.const 1))) (local.get $b))
        (f64.store offset=32 (local.get $st) (f64.convert_i32_u (i32.add (local.get $k) (i32.const 1))))))
    (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $n)))
    (f64.store offset=0 (local.get $st) (f64.add (f64.load offset=0 (local.get $st)) (local.get $n)))
    (f64.store offset=8 (local.get $st) (f64.add (f64.load offset=8 (local.get $st))
      (select (local.get $v) (f64.mul (local.get $v) (local.get $n)) (f64.eq (local.get $n) (f64.const 1)))))
    (if (f64.lt (local.get $v) (f64.load offset=16 (local.get $st)))
      (then (f64.store offset=16 (local.get $st) (local.get $v))))
    (if (f64.gt (local.get $v) (f64.load offset=24 (local.get $st)))
      (then (f64.store offset=24 (local.get $st) (local.get $v)))))

  ;; byte address of the path record from router src to router dst (AnalyticNetwork.resolve)
  (func $resolve (param $src i32) (param $dst i32) (result i32)
    (local $o i32)
    (if (global.get $hasCache)
      (then
        (local.set $o (i32.load (i32.add (global.get $pathAt) (i32.shl (i32.add (i32.mul (local.get $src) (global.get $R)) (local.get $dst)) (i32.const 2)))))
        (if (i32.ge_s (local.get $o) (i32.const 0))
          (then (return (i32.add (global.get $pathData) (i32.shl (local.get $o) (i32.const 2))))))))
    (i32.add (global.get $pathData) (i32.shl (call $walk (local.get $src) (local.get $dst)) (i32.const 2))))

  ;; clear what the last window listed (AnalyticNetwork.beginWindow)
  (func $beginWindow
    (local $k i32) (local $ro i32) (local $a i32) (local $b i32) (local $r i32)
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (global.get $nOutUsed)))
        (local.set $ro (i32.load (i32.add (global.get $outUsed) (i32.shl (local.get $k) (i32.const 2)))))
        (i32.store8 (i32.add (global.get $outMark) (local.get $ro)) (i32.const 0))
        ;; the five input ports of output ro: portLoad and wait elements ro*5 .. ro*5+4
        (local.set $a (i32.add (global.get $portLoad) (i32.shl (i32.mul (local.get $ro) (i32.const 5)) (i32.const 3))))
        (local.set $b (i32.add (global.get $wait) (i32.shl (i32.mul (local.get $ro) (i32.const 5)) (i32.const 3))))
        (f64.store offset=0 (local.get $a) (f64.const 0))
        (f64.store offset=8 (local.get $a) (f64.const 0))
        (f64.store offset=16 (local.get $a) (f64.const 0))
        (f64.store offset=24 (local.get $a) (f64.const 0))
        (f64.store offset=32 (local.get $a) (f64.const 0))
        (f64.store offset=0 (local.get $b) (f64.const 0))
        (f64.store offset=8 (local.get $b) (f64.const 0))
        (f64.store offset=16 (local.get $b) (f64.const 0))
        (f64.store offset=24 (local.get $b) (f64.const 0))
        (f64.store offset=32 (local.get $b) (f64.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (global.set $nOutUsed (i32.const 0))
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (global.get $nInjUsed)))
        (local.set $r (i32.load (i32.add (global.get $injUsed) (i32.shl (local.get $k) (i32.const 2)))))
        (i32.store8 (i32.add (global.get $injMark) (local.get $r)) (i32.const 0))
        (f64.store (i32.add (global.get $injWait) (i32.shl (local.get $r) (i32.const 3))) (f64.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (global.set $nInjUsed (i32.const 0))
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (global.get $nLoadUsed)))
        (local.set $r (i32.load (i32.add (global.get $loadUsed) (i32.shl (local.get $k) (i32.const 2)))))
        (i32.store8 (i32.add (global.get $loadMark) (local.get $r)) (i32.const 0))
        (f64.store (i32.add (global.get $load) (i32.shl (local.get $r) (i32.const 3))) (f64.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (global.set $nLoadUsed (i32.const 0)))

  ;; add `flits` flits of `packets` packets from router src to router dst to the load of every
  ;; resource on their path, and to the counters (AnalyticNetwork.addLoad; its addTo is written out
  ;; at each of its three uses: load[i] += flits, listing i once)
  (func $addLoad (param $s i32) (param $d i32) (param $flits f64) (param $packets f64)
    (local $fa i32) (local $ti i32)
    (local $o i32) (local $q i32) (local $end i32) (local $r i32) (local $out i32) (local $ro i32)
    (local $link i32) (local $m i32)
    (local.set $o (call $resolve (local.get $s) (local.get $d)))
    (local.set $ti (i32.add (i32.shl (global.get $R) (i32.const 2)) (local.get $s)))
        (local.set $fa (i32.add (global.get $load) (i32.shl (local.get $ti) (i32.const 3))))
        (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (local.set $fa (i32.add (global.get $loadMark) (local.get $ti)))
        (if (i32.eqz (i32.load8_u (local.get $fa)))
          (then
            (i32.store8 (local.get $fa) (i32.const 1))
            (i32.store (i32.add (global.get $loadUsed) (i32.shl (global.get $nLoadUsed) (i32.const 2))) (local.get $ti))
            (global.set $nLoadUsed (i32.add (global.get $nLoadUsed) (i32.const 1)))))
    (local.set $ti (i32.add (i32.mul (global.get $R) (i32.const 5)) (local.get $d)))
        (local.set $fa (i32.add (global.get $load) (i32.shl (local.get $ti) (i32.const 3))))
        (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (local.set $fa (i32.add (global.get $loadMark) (local.get $ti)))
        (if (i32.eqz (i32.load8_u (local.get $fa)))
          (then
            (i32.store8 (local.get $fa) (i32.const 1))
            (i32.store (i32.add (global.get $loadUsed) (i32.shl (global.get $nLoadUsed) (i32.const 2))) (local.get $ti))
            (global.set $nLoadUsed (i32.add (global.get $nLoadUsed) (i32.const 1)))))
    (local.set $m (i32.add (global.get $injMark) (local.get $s)))
    (if (i32.eqz (i32.load8_u (local.get $m)))
      (then
        (i32.store8 (local.get $m) (i32.const 1))
        (i32.store (i32.add (global.get $injUsed) (i32.shl (global.get $nInjUsed) (i32.const 2))) (local.get $s))
        (global.set $nInjUsed (i32.add (global.get $nInjUsed) (i32.const 1)))))
    (local.set $fa (global.get $scalars)) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
    (local.set $fa (i32.add (global.get $scalars) (i32.const 8))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $packets)))
    (if (i32.eq (local.get $s) (local.get $d))
      (then (local.set $fa (i32.add (global.get $scalars) (i32.const 16))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $packets)))))
    ;; records: H, then H + 1 triples (r, out, port-load index) of 12 bytes
    (local.set $end (i32.add (i32.add (local.get $o) (i32.const 4))
      (i32.mul (i32.const 12) (i32.add (i32.load (local.get $o)) (i32.const 1)))))
    (local.set $q (i32.add (local.get $o) (i32.const 4)))
    (block $done
      (loop $hop
        (br_if $done (i32.ge_s (local.get $q) (local.get $end)))
        (local.set $r (i32.load offset=0 (local.get $q)))
        (local.set $out (i32.load offset=4 (local.get $q)))
        (local.set $fa (i32.add (global.get $routerFlits) (i32.shl (local.get $r) (i32.const 3)))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (local.set $fa (i32.add (global.get $portLoad) (i32.shl (i32.load offset=8 (local.get $q)) (i32.const 3)))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (local.set $ro (i32.add (i32.mul (local.get $r) (i32.const 5)) (local.get $out)))
        (local.set $m (i32.add (global.get $outMark) (local.get $ro)))
        (if (i32.eqz (i32.load8_u (local.get $m)))
          (then
            (i32.store8 (local.get $m) (i32.const 1))
            (i32.store (i32.add (global.get $outUsed) (i32.shl (global.get $nOutUsed) (i32.const 2))) (local.get $ro))
            (global.set $nOutUsed (i32.add (global.get $nOutUsed) (i32.const 1)))))
        ;; PORT_LOCAL (4): the ejection port, the end of the path
        (br_if $done (i32.eq (local.get $out) (i32.const 4)))
        (local.set $link (i32.add (i32.shl (local.get $r) (i32.const 2)) (local.get $out)))
        (local.set $ti (local.get $link))
        (local.set $fa (i32.add (global.get $load) (i32.shl (local.get $ti) (i32.const 3))))
        (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (local.set $fa (i32.add (global.get $loadMark) (local.get $ti)))
        (if (i32.eqz (i32.load8_u (local.get $fa)))
          (then
            (i32.store8 (local.get $fa) (i32.const 1))
            (i32.store (i32.add (global.get $loadUsed) (i32.shl (global.get $nLoadUsed) (i32.const 2))) (local.get $ti))
            (global.set $nLoadUsed (i32.add (global.get $nLoadUsed) (i32.const 1)))))
        (local.set $fa (i32.add (global.get $linkFlits) (i32.shl (local.get $link) (i32.const 3)))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (local.set $fa (i32.add (global.get $hopsByDir) (i32.shl (local.get $out) (i32.const 3)))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))
        (if (i32.eq (i32.load8_s (i32.add (global.get $linkKind) (local.get $link))) (i32.const 1))
          (then (local.set $fa (i32.add (global.get $chipHopsByDir) (i32.shl (local.get $out) (i32.const 3)))) (f64.store (local.get $fa) (f64.add (f64.load (local.get $fa)) (local.get $flits)))))
        (local.set $q (i32.add (local.get $q) (i32.const 12)))
        (br $hop))))

  ;; mean wait of a queue with n flits in the window (analytic.ts queueWait)
  (func $queueWait (param $n f64) (param $F f64) (param $S f64) (param $u f64) (param $W f64) (result f64)
    (local $rho f64) (local $burst f64)
    (if (f64.le (local.get $n) (local.get $F)) (then (return (f64.const 0))))
    (local.set $rho (f64.div (f64.mul (local.get $n) (local.get $u)) (local.get $W)))
    (local.set $burst (f64.mul (f64.div (f64.sub (local.get $n) (local.get $F)) (f64.const 2)) (local.get $u)))
    (if (result f64) (f64.lt (local.get $rho) (f64.const 1))
      (then
        (f64.min
          (f64.div (f64.mul (local.get $rho) (local.get $S))
            (f64.mul (f64.const 2) (f64.sub (f64.const 1) (local.get $rho))))
          (local.get $burst)))
      (else (local.get $burst))))

  ;; turn the window's loads into waits; $window in model time (AnalyticNetwork.finishLoads)
  (func $finishLoads (param $window f64)
    (local $u f64) (local $S f64) (local $W f64) (local $k i32) (local $r i32) (local $a i32)
    (local $b i32) (local $ip i32) (local $n f64) (local $others f64) (local $rho f64) (local $burst f64) (local $den f64)
    (local.set $u (global.get $unit))
    (local.set $S (f64.mul (global.get $F) (local.get $u)))
    (local.set $W (select (local.get $window) (local.get $u) (f64.gt (local.get $window) (f64.const 0))))
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (global.get $nInjUsed)))
        (local.set $r (i32.load (i32.add (global.get $injUsed) (i32.shl (local.get $k) (i32.const 2)))))
        (f64.store (i32.add (global.get $injWait) (i32.shl (local.get $r) (i32.const 3)))
          (call $queueWait
            (f64.load (i32.add (global.get $load) (i32.shl (i32.add (i32.shl (global.get $R) (i32.const 2)) (local.get $r)) (i32.const 3))))
            (global.get $F) (local.get $S) (local.get $u) (local.get $W)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (global.get $nOutUsed)))
        (local.set $r (i32.mul (i32.load (i32.add (global.get $outUsed) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 5)))
        (local.set $a (i32.add (global.get $portLoad) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $b (i32.add (global.get $wait) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $n (f64.add (f64.add (f64.add (f64.add (f64.add (f64.const 0)
          (f64.load offset=0 (local.get $a))) (f64.load offset=8 (local.get $a)))
          (f64.load offset=16 (local.get $a))) (f64.load offset=24 (local.get $a)))
          (f64.load offset=32 (local.get $a))))
        ;; rho and 2(1 - rho) are the same for every input port (computed once, same values)
        (local.set $rho (f64.div (f64.mul (local.get $n) (local.get $u)) (local.get $W)))
        (local.set $den (f64.mul (f64.const 2) (f64.sub (f64.const 1) (local.get $rho))))
        (local.set $ip (i32.const 0))
        (block $ports
          (loop $port
            (br_if $ports (i32.ge_s (local.get $ip) (i32.const 5)))
            (local.set $others (f64.sub (local.get $n) (f64.load (local.get $a))))
            ;; an input port that carried no flits keeps wait 0: only this window's paths read
            ;; waits, and each of them loaded every port it reads (the TypeScript code computes a
            ;; wait nobody reads there; the outputs are the same)
            (if (i32.or (f64.le (local.get $others) (f64.const 0)) (f64.eq (f64.load (local.get $a)) (f64.const 0)))
              (then (f64.store (local.get $b) (f64.const 0)))
              (else
                (local.set $burst (f64.mul (f64.div (local.get $others) (f64.const 2)) (local.get $u)))
                (f64.store (local.get $b)
                  (if (result f64) (f64.lt (local.get $rho) (f64.const 1))
                    (then
                      (f64.min
                        (f64.div
                          (f64.mul (f64.div (f64.mul (local.get $others) (local.get $u)) (local.get $W)) (local.get $S))
                          (local.get $den))
                        (local.get $burst)))
                    (else (local.get $burst))))))
            (local.set $a (i32.add (local.get $a) (i32.const 8)))
            (local.set $b (i32.add (local.get $b) (i32.const 8)))
            (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
            (br $port)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

  ;; latency (model time) of one packet from router src to dst in the window; sets $lastHops
  ;; (AnalyticNetwork.latency and zeroLoad)
  (func $latency (param $s i32) (param $d i32) (result f64)
    (local $o i32) (local $q i32) (local $end i32) (local $h i32) (local $out i32)
    (local $linkSum f64) (local $wq f64)
    (local.set $o (call $resolve (local.get $s) (local.get $d)))
    (local.set $h (i32.load (local.get $o)))
    (local.set $wq (f64.load (i32.add (global.get $injWait) (i32.shl (local.get $s) (i32.const 3)))))
    (local.set $end (i32.add (i32.add (local.get $o) (i32.const 4))
      (i32.mul (i32.const 12) (i32.add (local.get $h) (i32.const 1)))))
    (local.set $q (i32.add (local.get $o) (i32.const 4)))
    (block $done
      (loop $hop
        (br_if $done (i32.ge_s (local.get $q) (local.get $end)))
        (local.set $wq (f64.add (local.get $wq)
          (f64.load (i32.add (global.get $wait) (i32.shl (i32.load offset=8 (local.get $q)) (i32.const 3))))))
        (local.set $out (i32.load offset=4 (local.get $q)))
        (if (i32.ne (local.get $out) (i32.const 4))
          (then
            (local.set $linkSum (f64.add (local.get $linkSum)
              (f64.convert_i32_s (i32.load (i32.add (global.get $linkDelay) (i32.shl (i32.add (i32.shl (i32.load offset=0 (local.get $q)) (i32.const 2)) (local.get $out)) (i32.const 2)))))))))
        (local.set $q (i32.add (local.get $q) (i32.const 12)))
        (br $hop)))
    (global.set $lastHops (local.get $h))
    ;; (injectDelay + ejectDelay + (h + 1) * routerT + linkSum + (F - 1)) * unit + wq
    (f64.add
      (f64.mul
        (f64.add (f64.add (f64.add (f64.add (global.get $injectDelay) (global.get $ejectDelay))
          (f64.mul (f64.convert_i32_s (i32.add (local.get $h) (i32.const 1))) (global.get $routerT)))
          (local.get $linkSum))
          (f64.sub (global.get $F) (f64.const 1)))
        (global.get $unit))
      (local.get $wq)))

  ;; empty the table slots of the first $pairs pairs (AnalyticNoc.clearPairs)
  (func $clearPairs (param $pairs i32)
    (local $k i32) (local $h i32)
    (local.set $k (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (local.get $pairs)))
        (local.set $h (call $hash
          (i32.load (i32.add (global.get $pSrc) (i32.shl (local.get $k) (i32.const 2))))
          (i32.load (i32.add (global.get $pDst) (i32.shl (local.get $k) (i32.const 2))))))
        (block $found
          (loop $probe
            (br_if $found (i32.eq (i32.load (i32.add (global.get $table) (i32.shl (local.get $h) (i32.const 2)))) (local.get $k)))
            (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (global.get $mask)))
            (br $probe)))
        (i32.store (i32.add (global.get $table) (i32.shl (local.get $h) (i32.const 2))) (i32.const -1))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (global.set $open (i32.const 0)))

  ;; first table slot of router pair (s, d)
  (func $hash (param $s i32) (param $d i32) (result i32)
    (i32.and
      (i32.xor (i32.mul (local.get $s) (i32.const 0x9e3779b1)) (i32.mul (local.get $d) (i32.const 0x85ebca77)))
      (global.get $mask)))

  ;; After a routing fault thrown by `walk` during route_step: empty the pair table.
  (func (export "abandon")
    (call $clearPairs (global.get $open)))

  ;; Route the $n packets of the src, dst, inject columns: fill arrive and hops, add to the counters
  ;; and the latency histograms (one record per pair, with its packet count, in pair order).
  ;; Returns the number of pairs, or -1 - i when packet i has a core outside the topology or an
  ;; injection time that is not a finite time >= 0 (nothing is changed then).
  (func (export "route_step") (param $n i32) (param $windowPs f64) (result i32)
    (local $i i32) (local $k i32) (local $h i32) (local $s i32) (local $d i32) (local $sc i32)
    (local $dc i32) (local $t f64) (local $lo f64) (local $hi f64) (local $pairs i32) (local $a i32)
    (local $window f64) (local $np f64) (local $lat f64)
    (local.set $lo (f64.const inf))
    (local.set $hi (f64.const -inf))
    ;; group the packets by (source router, destination router) pair
    (local.set $i (i32.const 0))
    (block $grouped
      (loop $packet
        (br_if $grouped (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $sc (i32.load (i32.add (global.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $dc (i32.load (i32.add (global.get $dst) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $t (f64.load (i32.add (global.get $inject) (i32.shl (local.get $i) (i32.const 3)))))
        (if (i32.or (i32.or (i32.ge_u (local.get $sc) (global.get $cores)) (i32.ge_u (local.get $dc) (global.get $cores)))
              (i32.eqz (i32.and (f64.ge (local.get $t) (f64.const 0)) (f64.lt (local.get $t) (f64.const inf)))))
          (then
            (call $clearPairs (local.get $pairs))
            (return (i32.sub (i32.const -1) (local.get $i)))))
        (local.set $s (i32.load (i32.add (global.get $routerOf) (i32.shl (local.get $sc) (i32.const 2)))))
        (local.set $d (i32.load (i32.add (global.get $routerOf) (i32.shl (local.get $dc) (i32.const 2)))))
        (local.set $h (call $hash (local.get $s) (local.get $d)))
        (local.set $k (i32.load (i32.add (global.get $table) (i32.shl (local.get $h) (i32.const 2)))))
        (block $found
          (loop $probe
            (br_if $found (i32.lt_s (local.get $k) (i32.const 0)))
            (br_if $found (i32.and
              (i32.eq (i32.load (i32.add (global.get $pSrc) (i32.shl (local.get $k) (i32.const 2)))) (local.get $s))
              (i32.eq (i32.load (i32.add (global.get $pDst) (i32.shl (local.get $k) (i32.const 2)))) (local.get $d))))
            (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (global.get $mask)))
            (local.set $k (i32.load (i32.add (global.get $table) (i32.shl (local.get $h) (i32.const 2)))))
            (br $probe)))
        (if (i32.lt_s (local.get $k) (i32.const 0))
          (then
            (local.set $k (local.get $pairs))
            (local.set $pairs (i32.add (local.get $pairs) (i32.const 1)))
            (i32.store (i32.add (global.get $table) (i32.shl (local.get $h) (i32.const 2))) (local.get $k))
            (i32.store (i32.add (global.get $pSrc) (i32.shl (local.get $k) (i32.const 2))) (local.get $s))
            (i32.store (i32.add (global.get $pDst) (i32.shl (local.get $k) (i32.const 2))) (local.get $d))
            (i32.store (i32.add (global.get $pN) (i32.shl (local.get $k) (i32.const 2))) (i32.const 0))))
        (local.set $a (i32.add (global.get $pN) (i32.shl (local.get $k) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (i32.store (i32.add (global.get $pktPair) (i32.shl (local.get $i) (i32.const 2))) (local.get $k))
        (if (f64.lt (local.get $t) (local.get $lo)) (then (local.set $lo (local.get $t))))
        (if (f64.gt (local.get $t) (local.get $hi)) (then (local.set $hi (local.get $t))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $packet)))
    (global.set $open (local.get $pairs))
    ;; load each pair's path once with all its flits
    (call $beginWindow)
    (local.set $k (i32.const 0))
    (block $loaded
      (loop $pair
        (br_if $loaded (i32.ge_s (local.get $k) (local.get $pairs)))
        (local.set $np (f64.convert_i32_s (i32.load (i32.add (global.get $pN) (i32.shl (local.get $k) (i32.const 2))))))
        (call $addLoad
          (i32.load (i32.add (global.get $pSrc) (i32.shl (local.get $k) (i32.const 2))))
          (i32.load (i32.add (global.get $pDst) (i32.shl (local.get $k) (i32.const 2))))
          (f64.mul (global.get $F) (local.get $np))
          (local.get $np))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $pair)))
    ;; window: the caller's, else the span of injection times plus one flit time
    (local.set $window
      (if (result f64) (f64.gt (local.get $windowPs) (f64.const 0))
        (then (local.get $windowPs))
        (else (if (result f64) (local.get $n)
          (then (f64.add (f64.sub (local.get $hi) (local.get $lo)) (global.get $unit)))
          (else (global.get $unit))))))
    (call $finishLoads (local.get $window))
    ;; each pair's latency, rounded to the nearest ps, and hops; the histograms count its packets
    (local.set $k (i32.const 0))
    (block $timed
      (loop $pair
        (br_if $timed (i32.ge_s (local.get $k) (local.get $pairs)))
        (local.set $lat (call $round (call $latency
          (i32.load (i32.add (global.get $pSrc) (i32.shl (local.get $k) (i32.const 2))))
          (i32.load (i32.add (global.get $pDst) (i32.shl (local.get $k) (i32.const 2)))))))
        (f64.store (i32.add (global.get $pLat) (i32.shl (local.get $k) (i32.const 3))) (local.get $lat))
        (i32.store (i32.add (global.get $pHops) (i32.shl (local.get $k) (i32.const 2))) (global.get $lastHops))
        (local.set $np (f64.convert_i32_s (i32.load (i32.add (global.get $pN) (i32.shl (local.get $k) (i32.const 2))))))
        (call $histAdd (global.get $hRun) (global.get $hRunUsed) (global.get $hRunStats) (local.get $lat) (local.get $np))
        (call $histAdd (global.get $hStep) (global.get $hStepUsed) (global.get $hStepStats) (local.get $lat) (local.get $np))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $pair)))
    ;; each packet: arrival = injection + its pair's latency; hops (u16, as the batch column)
    (local.set $i (i32.const 0))
    (block $done
      (loop $packet
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $k (i32.load (i32.add (global.get $pktPair) (i32.shl (local.get $i) (i32.const 2)))))
        (f64.store (i32.add (global.get $arrive) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add (f64.load (i32.add (global.get $inject) (i32.shl (local.get $i) (i32.const 3))))
            (f64.load (i32.add (global.get $pLat) (i32.shl (local.get $k) (i32.const 3))))))
        (i32.store16 (i32.add (global.get $hops) (i32.shl (local.get $i) (i32.const 1)))
          (i32.load (i32.add (global.get $pHops) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $packet)))
    (call $clearPairs (local.get $pairs))
    (local.get $pairs))
)
