// An 8 × 8 block transposed in vector registers, shared by the transposes (vector_math_impl.h) and
// the widening transpose (precision_conversion.c): DEFINE_TRANSPOSE8(name, V) defines
// `static inline void name(V r[8])`, which turns rows r[0…7] of eight values each into columns.
// Three rounds of eight two-vector shuffles: round 1 interleaves rows pairwise (r0 r1 r0 r1 …),
// round 2 pairs of pairs (four rows' elements in a row), round 3 joins the halves. A permutation:
// every value arrives unchanged.
#ifndef RNNLAB_TRANSPOSE8_H
#define RNNLAB_TRANSPOSE8_H

#define RNNLAB_LOW_PAIRS(a, b) __builtin_shufflevector(a, b, 0, 8, 1, 9, 4, 12, 5, 13)
#define RNNLAB_HIGH_PAIRS(a, b) __builtin_shufflevector(a, b, 2, 10, 3, 11, 6, 14, 7, 15)
#define RNNLAB_LOW_QUADS(a, b) __builtin_shufflevector(a, b, 0, 1, 8, 9, 4, 5, 12, 13)
#define RNNLAB_HIGH_QUADS(a, b) __builtin_shufflevector(a, b, 2, 3, 10, 11, 6, 7, 14, 15)
#define RNNLAB_LOW_HALVES(a, b) __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11)
#define RNNLAB_HIGH_HALVES(a, b) __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15)

#define DEFINE_TRANSPOSE8(name, V)                                                                        \
    static inline __attribute__((always_inline)) void name(V r[8]) {                                     \
        V t0 = RNNLAB_LOW_PAIRS(r[0], r[1]), t1 = RNNLAB_HIGH_PAIRS(r[0], r[1]);                          \
        V t2 = RNNLAB_LOW_PAIRS(r[2], r[3]), t3 = RNNLAB_HIGH_PAIRS(r[2], r[3]);                          \
        V t4 = RNNLAB_LOW_PAIRS(r[4], r[5]), t5 = RNNLAB_HIGH_PAIRS(r[4], r[5]);                          \
        V t6 = RNNLAB_LOW_PAIRS(r[6], r[7]), t7 = RNNLAB_HIGH_PAIRS(r[6], r[7]);                          \
        V u0 = RNNLAB_LOW_QUADS(t0, t2), u1 = RNNLAB_HIGH_QUADS(t0, t2);                                  \
        V u2 = RNNLAB_LOW_QUADS(t1, t3), u3 = RNNLAB_HIGH_QUADS(t1, t3);                                  \
        V u4 = RNNLAB_LOW_QUADS(t4, t6), u5 = RNNLAB_HIGH_QUADS(t4, t6);                                  \
        V u6 = RNNLAB_LOW_QUADS(t5, t7), u7 = RNNLAB_HIGH_QUADS(t5, t7);                                  \
        r[0] = RNNLAB_LOW_HALVES(u0, u4); r[4] = RNNLAB_HIGH_HALVES(u0, u4);                              \
        r[1] = RNNLAB_LOW_HALVES(u1, u5); r[5] = RNNLAB_HIGH_HALVES(u1, u5);                              \
        r[2] = RNNLAB_LOW_HALVES(u2, u6); r[6] = RNNLAB_HIGH_HALVES(u2, u6);                              \
        r[3] = RNNLAB_LOW_HALVES(u3, u7); r[7] = RNNLAB_HIGH_HALVES(u3, u7);                              \
    }

#endif
