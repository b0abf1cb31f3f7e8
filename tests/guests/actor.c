/* actor: a short random life for the scheduler's property test.  hal_arg()
 * seeds a generator; each of a few steps computes a while, yields, sleeps,
 * sends (more often) or receives on one of two channels, or waits for one of four
 * guests.  Whatever the seed, it stays small, so hundreds of workloads of
 * these run in seconds; many deadlock, which the test wants too. */
#include "hal.h"

static u32 next(u32 *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

int main(void)
{
    u32 s = (u32)hal_arg();
    u32 steps = 1 + next(&s) % 8, work = 0;
    for (u32 i = 0; i < steps; i++) {
        u32 r = next(&s), what = r % 8, n = r >> 3;
        switch (what) {
        case 0:
        case 1:
            for (u32 k = n % 700; k; k--)
                work = work * 69069u + k;
            break;
        case 2:
            hal_yield();
            break;
        case 3:
            hal_sleep(n % 3000);
            break;
        case 4:
        case 5:
            hal_send(n % 2, (long)(n % 1000));
            break;
        case 6:
            work += (u32)hal_recv(n % 2);
            break;
        default:
            work += (u32)hal_wait(n % 4);
            break;
        }
    }
    hal_print("actor done, ");
    hal_print_hex(work, 8);
    hal_putc('\n');
    return (int)(work & 7);
}
