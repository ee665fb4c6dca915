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
    if (!trans) {
        // Row by row: each row of B is read once, front to back, and dealt out to the panels (one
        // write stream per panel). Panel by panel instead would read every row NR columns at a
        // time, a stride of ldb through a B that is usually far larger than L2 (a product over
        // all time steps packs T·B rows of G·H gate gradients). Measured on the small float32
        // LSTM step: packing took 9 % of it panel by panel, 7 % row by row, 5.6 % with memcpy.
        long full = n / NR;
        for (long p = 0; p < kc; p++) {
            const SOURCE *row = b + (p0 + p) * ldb;
            REAL *o = packed + p * NR;
            for (long jp = 0; jp < full; jp++) {
                const SOURCE *src = row + jp * NR;
                REAL *dst = o + jp * kc * NR;
                if (sizeof(SOURCE) == sizeof(REAL)) {
                    memcpy(dst, src, NR * sizeof(REAL));  // whole vectors (clang copies elementwise otherwise)
                } else {
                    for (long jj = 0; jj < NR; jj++) dst[jj] = (REAL)src[jj];
                }
            }
            if (full < panels) {
                long j0 = full * NR, width = n - j0;
                REAL *dst = o + full * kc * NR;
                long jj = 0;
                for (; jj < width; jj++) dst[jj] = (REAL)row[j0 + jj];
                for (; jj < NR; jj++) dst[jj] = 0;
            }
        }
        return;
    }
    for (long jp = 0; jp < panels; jp++) {
        REAL *out = packed + jp * kc * NR;
        long j0 = jp * NR, width = n - j0 < NR ? n - j0 : NR;
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

#undef SOURCE
#undef PACK_ROWS
