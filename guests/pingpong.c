/* pingpong: two guests bat a number back and forth over channels 1 and 2.
 * The guest given arg 0 serves; the one given arg 1 returns.
 * workload: pingpong */
#include "hal.h"

#define ROUNDS 10

int main(void)
{
    long ok = 0;
    if (hal_arg() == 0) {
        for (long i = 0; i < ROUNDS; i++) {
            hal_send(1, i);
            ok += hal_recv(2) == i + 1;
        }
        hal_print("ping: ");
        hal_print_int(ok);
        hal_print(" of ");
        hal_print_int(ROUNDS);
        hal_puts(" returns correct");
    } else {
        for (long i = 0; i < ROUNDS; i++)
            hal_send(2, hal_recv(1) + 1);
        hal_print("pong: returned ");
        hal_print_int(ROUNDS);
        hal_puts(" balls");
    }
    return 0;
}
