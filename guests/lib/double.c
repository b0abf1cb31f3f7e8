/* double.c: hal_print_double(v, decimals), a double in fixed-point decimal
 * that reads exactly as printf("%.*f", decimals, v) prints it on the host.
 *
 * No floating-point instruction runs here, so it prints the same digits on
 * every ISA and never trips an unmasked FP exception.  The double's bits
 * give its integer significand m and exponent e, v = m * 2^e, exactly; then
 * v * 10^d = m * 5^d * 2^(e+d) is computed exactly in a small big number
 * and rounded to an integer, to nearest with ties to even, as printf does.
 * The big number has 16-bit limbs, so every step fits a 32-bit multiply or
 * divide: no compiler helper functions on the 32-bit ISAs.
 */
#include "hal.h"

#define MAX_DECIMALS 40
#define LIMBS 76                     /* 1216 bits: 2^1024 * 10^40 fits */

typedef struct {
    u16 limb[LIMBS];                 /* least significant first */
    int n;                           /* limbs in use; no leading zero limb */
} big;

static void big_mul(big *b, u32 factor)          /* factor < 2^16 */
{
    u32 carry = 0;
    for (int i = 0; i < b->n; i++) {
        u32 t = b->limb[i] * factor + carry;
        b->limb[i] = (u16)t;
        carry = t >> 16;
    }
    if (carry)
        b->limb[b->n++] = (u16)carry;
}

static u32 big_div(big *b, u32 divisor)          /* divisor < 2^16; returns the remainder */
{
    u32 rem = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        u32 t = rem << 16 | b->limb[i];
        b->limb[i] = (u16)(t / divisor);
        rem = t % divisor;
    }
    while (b->n && !b->limb[b->n - 1])
        b->n--;
    return rem;
}

static int big_bit(const big *b, int i)
{
    return i / 16 < b->n && (b->limb[i / 16] >> (i % 16) & 1);
}

static int big_any_below(const big *b, int i)    /* any bit set below bit i? */
{
    for (int k = 0; k < i / 16 && k < b->n; k++)
        if (b->limb[k])
            return 1;
    return i / 16 < b->n && (b->limb[i / 16] & ((1u << (i % 16)) - 1));
}

static void big_shift(big *b, int s)             /* b <<= s (s >= 0) or b >>= -s */
{
    int limbs = (s < 0 ? -s : s) / 16, bits = (s < 0 ? -s : s) % 16;
    if (s >= 0) {
        b->limb[b->n] = 0;
        for (int i = b->n; i >= 0; i--)
            b->limb[i + limbs] = (u16)(b->limb[i] << bits | (i ? b->limb[i - 1] >> (16 - bits) : 0));
        for (int i = 0; i < limbs; i++)
            b->limb[i] = 0;
        b->n += limbs + 1;
    } else {
        for (int i = 0; i + limbs < b->n; i++)
            b->limb[i] = (u16)(b->limb[i + limbs] >> bits
                               | (i + limbs + 1 < b->n ? b->limb[i + limbs + 1] << (16 - bits) : 0));
        b->n = b->n > limbs ? b->n - limbs : 0;
    }
    while (b->n && !b->limb[b->n - 1])
        b->n--;
}

static void big_add1(big *b)
{
    for (int i = 0; i < b->n; i++)
        if (++b->limb[i])
            return;
    b->limb[b->n++] = 1;
}

void hal_print_double(double v, int decimals)
{
    union { double d; unsigned long long u; } bits = { v };
    int biased = (int)(bits.u >> 52 & 0x7ff);
    unsigned long long frac = bits.u & ((1ull << 52) - 1);

    if (biased == 0x7ff && frac) {
        hal_print("nan");        /* no sign: x86's default NaN is negative, the others' positive */
        return;
    }
    if (bits.u >> 63)
        hal_putc('-');
    if (biased == 0x7ff) {
        hal_print("inf");
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > MAX_DECIMALS)
        decimals = MAX_DECIMALS;

    /* v = m * 2^e exactly */
    unsigned long long m = biased ? frac | 1ull << 52 : frac;
    int e = biased ? biased - 1075 : -1074;
    big n = { .n = 0 };
    for (; m; m >>= 16)
        n.limb[n.n++] = (u16)m;

    /* n = round(m * 5^d * 2^(e+d)), ties to even */
    for (int i = 0; i < decimals; i++)
        big_mul(&n, 5);
    int s = e + decimals;
    if (s >= 0) {
        big_shift(&n, s);
    } else {
        int half = big_bit(&n, -s - 1), sticky = big_any_below(&n, -s - 1);
        big_shift(&n, s);
        if (half && (sticky || big_bit(&n, 0)))
            big_add1(&n);
    }

    /* its decimal digits, least significant first, at least decimals + 1 of them */
    char digits[360];
    int count = 0;
    while (n.n || count <= decimals)
        digits[count++] = (char)('0' + big_div(&n, 10));
    char out[362];
    int k = 0;
    while (count > 0) {
        out[k++] = digits[--count];
        if (count == decimals && decimals)
            out[k++] = '.';
    }
    hal_write(out, (unsigned long)k);
}
