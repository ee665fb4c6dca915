// One function that lays rows of op(B) out in panels, for packed_gemm_impl.h: included once per
// pair of element types, with
//   REAL       the type of the panels (double or float), NR their width,
//   SOURCE     the type B is stored in (REAL, or double when the float panels are filled from a
//              layer's double weights: each element is rounded to nearest as it is copied),
//   PACK_ROWS  the function's name.
// No include guard: it is meant to be included more than once.

/// Rows p0 … p0+kc−1 of op(B) into panels (panel j at packed + j·kc·NR).
static void PACK_ROWS(int trans, long p0, long kc, long n, const SOURCE *b, long ldb, REAL *packed) {
    long panels = (n + NR - 1) / NR;
    for (long jp = 0; jp < panels; jp++) {
        REAL *out = packed + jp * kc * NR;
        long j0 = jp * NR, width = n - j0 < NR ? n - j0 : NR;
        if (!trans) {
            for (long p = 0; p < kc; p++) {
                const SOURCE *row = b + (p0 + p) * ldb + j0;
                REAL *o = out + p * NR;
                long jj = 0;
                for (; jj < width; jj++) o[jj] = (REAL)row[jj];
                for (; jj < NR; jj++) o[jj] = 0;
            }
        } else {
            // B stored n × k: column j of op(B) is row j of the storage, read along p.
            for (long jj = 0; jj < NR; jj++) {
                if (jj < width) {
                    const SOURCE *col = b + (j0 + jj) * ldb + p0;
                    for (long p = 0; p < kc; p++) out[p * NR + jj] = (REAL)col[p];
                } else {
                    for (long p = 0; p < kc; p++) out[p * NR + jj] = 0;
                }
            }
        }
    }
}

#undef SOURCE
#undef PACK_ROWS
