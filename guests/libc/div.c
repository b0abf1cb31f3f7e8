/* div.c: div(), ldiv(), lldiv() and imaxdiv(), in C.
 *
 * zig's C library writes these four in Zig, and on PowerPC its compiler
 * returns their small structs another way than C code expects (registers
 * r3:r4 against memory), so div(17, 5) came back as garbage there.
 * Compiled from C like the program that calls them, they always agree. */
#include <inttypes.h>
#include <stdlib.h>

div_t div(int num, int den)
{
    return (div_t){num / den, num % den};
}

ldiv_t ldiv(long num, long den)
{
    return (ldiv_t){num / den, num % den};
}

lldiv_t lldiv(long long num, long long den)
{
    return (lldiv_t){num / den, num % den};
}

imaxdiv_t imaxdiv(intmax_t num, intmax_t den)
{
    return (imaxdiv_t){num / den, num % den};
}
