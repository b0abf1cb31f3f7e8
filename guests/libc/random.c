/* random.c: rand(), srand(), random(), srandom() and rand_r() as glibc
 * computes them.
 *
 * C leaves rand()'s sequence to the C library, and zig's (SplitMix64) is
 * not glibc's, so srand(42) would print other numbers here than on a Linux
 * desktop.  glibc's generator is an additive feedback one, TYPE_3 in its
 * random_r.c: 31 words of state seeded by a Lehmer generator, then
 * x[i] = x[i-3] + x[i-31], the top 31 bits returned, the first 310 thrown
 * away.  Written here from that description; the C library's own
 * definitions are weak, so these win. */
#include <stdint.h>
#include <stdlib.h>

#define DEGREE 31
#define SEPARATION 3

static int32_t state[DEGREE];
static int front = SEPARATION, rear = 0, seeded = 0;

void srandom(unsigned int seed)
{
    int32_t word = seed ? (int32_t)seed : 1;
    state[0] = word;
    for (int i = 1; i < DEGREE; i++) {          /* 16807 * word mod (2^31 - 1), by Schrage */
        int32_t hi = word / 127773, lo = word % 127773;
        word = 16807 * lo - 2836 * hi;
        if (word < 0)
            word += 2147483647;
        state[i] = word;
    }
    front = SEPARATION;
    rear = 0;
    seeded = 1;
    for (int i = 0; i < 10 * DEGREE; i++)
        (void)random();
}

long random(void)
{
    if (!seeded)
        srandom(1);
    uint32_t value = (uint32_t)state[front] + (uint32_t)state[rear];
    state[front] = (int32_t)value;
    front = (front + 1) % DEGREE;
    rear = (rear + 1) % DEGREE;
    return (long)(value >> 1);
}

void srand(unsigned int seed)
{
    srandom(seed);
}

int rand(void)
{
    return (int)random();
}

int rand_r(unsigned int *seed)
{
    unsigned int next = *seed;
    int result;
    next = next * 1103515245 + 12345;
    result = (unsigned int)(next / 65536) % 2048;
    next = next * 1103515245 + 12345;
    result <<= 10;
    result ^= (unsigned int)(next / 65536) % 1024;
    next = next * 1103515245 + 12345;
    result <<= 10;
    result ^= (unsigned int)(next / 65536) % 1024;
    *seed = next;
    return result;
}
