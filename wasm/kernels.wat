;; Per-row loops of the shuffle and the sort-merge join, in WebAssembly.
;; The shuffle map side (the hot path of Spark's ShuffleWriter):
;; reduce-partition ids by hash, a count of rows per partition, and the
;; counting-sort scatter of columns into partition order. The join: a radix
;; sort of its keys. wasm/kernels.ts wraps them; src/executor/partition-ids.ts,
;; src/executor/shuffle-scatter.ts and src/exec/join/key-sort.ts hold the JS
;; loops that compute the same ids and the same orders where WebAssembly is
;; not allowed (workerd).
;; V8 runs these without per-element typed-array checks and hashes four
;; keys per SIMD instruction. The murmur3 finalizer (src/exec/hash.ts mix32)
;; is written out in place in every loop: Node 20's V8 does not inline
;; WebAssembly calls.
;; Addresses are byte offsets into the exported memory; the caller copies
;; columns in and results out.
(module
  (memory (export "memory") 1)

  ;; Ids of `rows` int32 keys at $keys into $out: (mix32(key) >>> 0) % n,
  ;; NULL_HASH % n where the validity byte at $valid + i is 0 ($valid 0: no
  ;; NULLs).
  (func (export "idsI32") (param $keys i32) (param $valid i32) (param $rows i32) (param $n i32) (param $out i32)
    (local $i i32) (local $h i32) (local $mask i32) (local $nullId i32) (local $end4 i32) (local $v v128) (local $m v128)
    (local.set $nullId (i32.rem_u (i32.const 0x9e3779b9) (local.get $n)))
    (if (i32.and (i32.eqz (local.get $valid))
                 (i32.eqz (i32.and (local.get $n) (i32.sub (local.get $n) (i32.const 1)))))
      (then
        ;; n a power of two and no NULLs: four keys at a time.
        (local.set $m (i32x4.splat (i32.sub (local.get $n) (i32.const 1))))
        (local.set $end4 (i32.and (local.get $rows) (i32.const -4)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end4)))
            (local.set $v (v128.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $v (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 16))))
            (local.set $v (i32x4.mul (local.get $v) (i32x4.splat (i32.const 0x85ebca6b))))
            (local.set $v (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 13))))
            (local.set $v (i32x4.mul (local.get $v) (i32x4.splat (i32.const 0xc2b2ae35))))
            (local.set $v (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 16))))
            (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (v128.and (local.get $v) (local.get $m)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next)))))
    ;; The rest (all rows when n is not a power of two or there are NULLs).
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $h (i32.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (local.set $h (i32.rem_u (local.get $h) (local.get $n)))
        (if (local.get $valid)
          (then (if (i32.eqz (i32.load8_u (i32.add (local.get $valid) (local.get $i))))
            (then (local.set $h (local.get $nullId))))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $h))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; As idsI32 for float64 keys: an integral value in int32 range hashes as
  ;; that int32 (-0 as 0); any other value hashes its two words,
  ;; mix32(low ^ mix32(high)), every NaN as the canonical NaN.
  (func (export "idsF64") (param $keys i32) (param $valid i32) (param $rows i32) (param $n i32) (param $out i32)
    (local $i i32) (local $h i32) (local $nullId i32) (local $x f64) (local $bits i64)
    (local.set $nullId (i32.rem_u (i32.const 0x9e3779b9) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $x (f64.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $h (i32.trunc_sat_f64_s (local.get $x)))
        (if (f64.ne (f64.convert_i32_s (local.get $h)) (local.get $x))
          (then
            (local.set $bits (select (i64.reinterpret_f64 (local.get $x)) (i64.const 0x7ff8000000000000)
              (f64.eq (local.get $x) (local.get $x))))
            ;; mix32 of the high word, xored into the low word.
            (local.set $h (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.xor (i32.wrap_i64 (local.get $bits)) (local.get $h)))))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (local.set $h (i32.rem_u (local.get $h) (local.get $n)))
        (if (local.get $valid)
          (then (if (i32.eqz (i32.load8_u (i32.add (local.get $valid) (local.get $i))))
            (then (local.set $h (local.get $nullId))))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $h))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Adds the number of each id among the `rows` ids at $ids to the i32
  ;; counts at $counts. Four count arrays (at $counts + 4n·k, zeroed by the
  ;; caller, summed into the first at the end) take neighbouring rows, so an
  ;; increment rarely waits for the one before it to the same partition.
  (func (export "countIds") (param $ids i32) (param $rows i32) (param $n i32) (param $counts i32)
    (local $i i32) (local $end4 i32) (local $a i32) (local $stride i32) (local $r i32)
    (local.set $stride (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rows) (i32.const -4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (i32.add (local.get $counts) (local.get $stride)) (i32.shl (i32.load offset=4 (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (i32.add (local.get $counts) (i32.shl (local.get $stride) (i32.const 1))) (i32.shl (i32.load offset=8 (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (i32.add (local.get $counts) (i32.mul (local.get $stride) (i32.const 3))) (i32.shl (i32.load offset=12 (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (local.get $r) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a))
          (i32.add (i32.load (i32.add (local.get $a) (local.get $stride)))
            (i32.add (i32.load (i32.add (local.get $a) (i32.shl (local.get $stride) (i32.const 1))))
              (i32.load (i32.add (local.get $a) (i32.mul (local.get $stride) (i32.const 3))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next))))

;; The counting-sort destinations: slot cursor[id[i]]++ for each of `rows`
  ;; ids at $ids, written to $out ($cursor: an i32 per partition, its next free
  ;; slot; advanced in place, so batches can follow one another). Computed
  ;; once per map task; every column is then placed with one of the loops
  ;; below, which carry no dependence from row to row.
  (func (export "destinations") (param $ids i32) (param $rows i32) (param $cursor i32) (param $out i32)
    (local $i i32) (local $c i32) (local $d i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $c (i32.add (local.get $cursor) (i32.shl (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (local.set $d (i32.load (local.get $c)))
        (i32.store (local.get $c) (i32.add (local.get $d) (i32.const 1)))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Row i of the 8-, 4- or 1-byte values at $src to slot dest[i] of $out.
  (func (export "place64") (param $src i32) (param $dest i32) (param $rows i32) (param $out i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (i64.store (i32.add (local.get $out) (i32.shl (i32.load (i32.add (local.get $dest) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))
          (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "place32") (param $src i32) (param $dest i32) (param $rows i32) (param $out i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (i32.store (i32.add (local.get $out) (i32.shl (i32.load (i32.add (local.get $dest) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))
          (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "place8") (param $src i32) (param $dest i32) (param $rows i32) (param $out i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (i32.store8 (i32.add (local.get $out) (i32.load (i32.add (local.get $dest) (i32.shl (local.get $i) (i32.const 2)))))
          (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  ;; The sort-merge join's sort (src/exec/join/key-sort.ts radixSortRows):
  ;; an LSD radix sort of `n` uint32 keys at $keys carrying i32 payloads at
  ;; $order, `passes` digits of `bits` (at most 11) from the lowest, stable.
  ;; $keys2 and $order2 are scratch of the same sizes; $counts holds 2048
  ;; zeroed i32 counters per pass, all filled by one histogram pass.
  ;; Returns 0 when the result is in ($keys, $order), 1 when in the scratch.
  (func (export "radixSort") (param $keys i32) (param $order i32) (param $n i32) (param $passes i32) (param $bits i32)
    (param $keys2 i32) (param $order2 i32) (param $counts i32) (result i32)
    (local $i i32) (local $p i32) (local $k i32) (local $a i32) (local $sum i32) (local $c i32) (local $shift i32) (local $mask i32)
    (local $src i32) (local $srcOrder i32) (local $dst i32) (local $dstOrder i32) (local $t i32) (local $table i32)
    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $bits)) (i32.const 1)))
    ;; Histograms of every digit.
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $k (i32.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $p (i32.const 0))
        (block $digitsDone
          (loop $digit
            (br_if $digitsDone (i32.ge_u (local.get $p) (local.get $passes)))
            (local.set $a (i32.add (i32.add (local.get $counts) (i32.shl (local.get $p) (i32.const 13)))
              (i32.shl (i32.and (i32.shr_u (local.get $k) (i32.mul (local.get $p) (local.get $bits))) (local.get $mask)) (i32.const 2))))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $digit)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; Each histogram to the first slot of each digit.
    (local.set $p (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $passes)))
        (local.set $table (i32.add (local.get $counts) (i32.shl (local.get $p) (i32.const 13))))
        (local.set $sum (i32.const 0))
        (local.set $i (i32.const 0))
        (block $digitsDone
          (loop $digit
            (br_if $digitsDone (i32.gt_u (local.get $i) (local.get $mask)))
            (local.set $a (i32.add (local.get $table) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $c (i32.load (local.get $a)))
            (i32.store (local.get $a) (local.get $sum))
            (local.set $sum (i32.add (local.get $sum) (local.get $c)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $digit)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    ;; The passes, back and forth between the arrays and the scratch.
    (local.set $src (local.get $keys)) (local.set $srcOrder (local.get $order))
    (local.set $dst (local.get $keys2)) (local.set $dstOrder (local.get $order2))
    (local.set $p (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $passes)))
        (local.set $table (i32.add (local.get $counts) (i32.shl (local.get $p) (i32.const 13))))
        (local.set $shift (i32.mul (local.get $p) (local.get $bits)))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $k (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $a (i32.add (local.get $table) (i32.shl (i32.and (i32.shr_u (local.get $k) (local.get $shift)) (local.get $mask)) (i32.const 2))))
            (local.set $c (i32.load (local.get $a)))
            (i32.store (local.get $a) (i32.add (local.get $c) (i32.const 1)))
            (i32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))) (local.get $k))
            (i32.store (i32.add (local.get $dstOrder) (i32.shl (local.get $c) (i32.const 2)))
              (i32.load (i32.add (local.get $srcOrder) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        (local.set $t (local.get $src)) (local.set $src (local.get $dst)) (local.set $dst (local.get $t))
        (local.set $t (local.get $srcOrder)) (local.set $srcOrder (local.get $dstOrder)) (local.set $dstOrder (local.get $t))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (i32.and (local.get $passes) (i32.const 1)))
)
