;; pagesense scan kernels: WebAssembly SIMD (128-bit) hot loops.
;; Compiled by `npm run build:wasm` into kernels.wasm.ts (base64, shipped inside
;; the package, no download at run time). Every row and query is zero-padded to
;; the stride, so loops never need a scalar tail.
(module
  (import "env" "memory" (memory 1 65536))

  ;; out[r] = dot(q, d[r]) for `rows` f32 rows of `stride` floats (stride % 16 == 0).
  (func (export "f32_scores") (param $q i32) (param $d i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $rowBytes i32) (local $end i32) (local $qp i32) (local $dp i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $qp (local.get $q))
        (local.set $dp (local.get $d))
        (local.set $end (i32.add (local.get $d) (local.get $rowBytes)))
        (loop $col
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $dp)) (v128.load (local.get $qp)))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $dp)) (v128.load offset=16 (local.get $qp)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (local.get $dp)) (v128.load offset=32 (local.get $qp)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (local.get $dp)) (v128.load offset=48 (local.get $qp)))))
          (local.set $dp (i32.add (local.get $dp) (i32.const 64)))
          (local.set $qp (i32.add (local.get $qp) (i32.const 64)))
          (br_if $col (i32.lt_u (local.get $dp) (local.get $end))))
        (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
            (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $d (local.get $end))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br_if $row (local.get $rows)))))

  ;; Four queries against the same rows: each row is loaded once for all four.
  ;; Queries sit back to back at q (stride floats each); scores for query i go
  ;; to out + i * outStride * 4.
  (func (export "f32_scores4") (param $q i32) (param $d i32) (param $rows i32) (param $stride i32) (param $out i32) (param $outStride i32)
    (local $rowBytes i32) (local $end i32) (local $dp i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $x0 v128) (local $x1 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $o1 (i32.shl (local.get $outStride) (i32.const 2)))
    (local.set $o2 (i32.shl (local.get $outStride) (i32.const 3)))
    (local.set $o3 (i32.add (local.get $o1) (local.get $o2)))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $q0 (local.get $q))
        (local.set $q1 (i32.add (local.get $q) (local.get $rowBytes)))
        (local.set $q2 (i32.add (local.get $q1) (local.get $rowBytes)))
        (local.set $q3 (i32.add (local.get $q2) (local.get $rowBytes)))
        (local.set $dp (local.get $d))
        (local.set $end (i32.add (local.get $d) (local.get $rowBytes)))
        (loop $col
          (local.set $x0 (v128.load (local.get $dp)))
          (local.set $x1 (v128.load offset=16 (local.get $dp)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.add
            (f32x4.mul (local.get $x0) (v128.load (local.get $q0)))
            (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $q0))))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.add
            (f32x4.mul (local.get $x0) (v128.load (local.get $q1)))
            (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $q1))))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.add
            (f32x4.mul (local.get $x0) (v128.load (local.get $q2)))
            (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $q2))))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.add
            (f32x4.mul (local.get $x0) (v128.load (local.get $q3)))
            (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $q3))))))
          (local.set $dp (i32.add (local.get $dp) (i32.const 32)))
          (local.set $q0 (i32.add (local.get $q0) (i32.const 32)))
          (local.set $q1 (i32.add (local.get $q1) (i32.const 32)))
          (local.set $q2 (i32.add (local.get $q2) (i32.const 32)))
          (local.set $q3 (i32.add (local.get $q3) (i32.const 32)))
          (br_if $col (i32.lt_u (local.get $dp) (local.get $end))))
        (f32.store (local.get $out) (call $hsum (local.get $a0)))
        (f32.store (i32.add (local.get $out) (local.get $o1)) (call $hsum (local.get $a1)))
        (f32.store (i32.add (local.get $out) (local.get $o2)) (call $hsum (local.get $a2)))
        (f32.store (i32.add (local.get $out) (local.get $o3)) (call $hsum (local.get $a3)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $d (local.get $end))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br_if $row (local.get $rows)))))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func $isum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; out[r] = sum_j q16[j] * d8[r][j]: int8 rows (stride bytes, % 32 == 0) against an
  ;; int16 query (stride int16 values). $unsigned selects uint8 rows.
  (func (export "i8_scores") (param $q i32) (param $d i32) (param $rows i32) (param $stride i32) (param $out i32) (param $unsigned i32)
    (local $end i32) (local $qp i32) (local $dp i32) (local $x v128) (local $y v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $qp (local.get $q))
        (local.set $dp (local.get $d))
        (local.set $end (i32.add (local.get $d) (local.get $stride)))
        (if (local.get $unsigned)
          (then
            (loop $colu
              (local.set $x (v128.load (local.get $dp)))
              (local.set $y (v128.load offset=16 (local.get $dp)))
              (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $x)) (v128.load (local.get $qp)))))
              (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $x)) (v128.load offset=16 (local.get $qp)))))
              (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $y)) (v128.load offset=32 (local.get $qp)))))
              (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $y)) (v128.load offset=48 (local.get $qp)))))
              (local.set $dp (i32.add (local.get $dp) (i32.const 32)))
              (local.set $qp (i32.add (local.get $qp) (i32.const 64)))
              (br_if $colu (i32.lt_u (local.get $dp) (local.get $end)))))
          (else
            (loop $cols
              (local.set $x (v128.load (local.get $dp)))
              (local.set $y (v128.load offset=16 (local.get $dp)))
              (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $x)) (v128.load (local.get $qp)))))
              (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $x)) (v128.load offset=16 (local.get $qp)))))
              (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $y)) (v128.load offset=32 (local.get $qp)))))
              (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $y)) (v128.load offset=48 (local.get $qp)))))
              (local.set $dp (i32.add (local.get $dp) (i32.const 32)))
              (local.set $qp (i32.add (local.get $qp) (i32.const 64)))
              (br_if $cols (i32.lt_u (local.get $dp) (local.get $end))))))
        (i32.store (local.get $out)
          (call $isum (i32x4.add (i32x4.add (local.get $a0) (local.get $a1)) (i32x4.add (local.get $a2) (local.get $a3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $d (local.get $end))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br_if $row (local.get $rows)))))

  ;; out[r] = popcount(q xor d[r]): Hamming distance of packed bit rows (stride bytes, % 16 == 0).
  (func (export "hamming") (param $q i32) (param $d i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $end i32) (local $qp i32) (local $dp i32) (local $c v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $c (v128.const i64x2 0 0))
        (local.set $qp (local.get $q))
        (local.set $dp (local.get $d))
        (local.set $end (i32.add (local.get $d) (local.get $stride)))
        (loop $col
          ;; per-byte counts (<= 8) summed bytewise: at most 31 iterations before a u8 lane could overflow,
          ;; so widen every iteration, which also keeps strides of any length safe.
          (local.set $c (i32x4.add (local.get $c)
            (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
              (i8x16.popcnt (v128.xor (v128.load (local.get $dp)) (v128.load (local.get $qp))))))))
          (local.set $dp (i32.add (local.get $dp) (i32.const 16)))
          (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
          (br_if $col (i32.lt_u (local.get $dp) (local.get $end))))
        (i32.store (local.get $out) (call $isum (local.get $c)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $d (local.get $end))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br_if $row (local.get $rows)))))
;; 1 when every f32 in [p, p + bytes) is finite, else 0 (bytes % 64 == 0).
  ;; x - x is 0 for finite x and NaN for NaN or an infinity, so one compare per lane.
  (func (export "f32_all_finite") (param $p i32) (param $bytes i32) (result i32)
    (local $end i32) (local $ok v128) (local $x v128) (local $zero v128)
    (local.set $ok (v128.const i32x4 -1 -1 -1 -1))
    (local.set $zero (v128.const i64x2 0 0))
    (local.set $end (i32.add (local.get $p) (local.get $bytes)))
    (block $done
      (br_if $done (i32.eqz (local.get $bytes)))
      (loop $scan
        (local.set $x (v128.load (local.get $p)))
        (local.set $ok (v128.and (local.get $ok) (f32x4.eq (f32x4.sub (local.get $x) (local.get $x)) (local.get $zero))))
        (local.set $x (v128.load offset=16 (local.get $p)))
        (local.set $ok (v128.and (local.get $ok) (f32x4.eq (f32x4.sub (local.get $x) (local.get $x)) (local.get $zero))))
        (local.set $x (v128.load offset=32 (local.get $p)))
        (local.set $ok (v128.and (local.get $ok) (f32x4.eq (f32x4.sub (local.get $x) (local.get $x)) (local.get $zero))))
        (local.set $x (v128.load offset=48 (local.get $p)))
        (local.set $ok (v128.and (local.get $ok) (f32x4.eq (f32x4.sub (local.get $x) (local.get $x)) (local.get $zero))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br_if $scan (i32.lt_u (local.get $p) (local.get $end)))))
    (i32x4.all_true (local.get $ok)))
)
