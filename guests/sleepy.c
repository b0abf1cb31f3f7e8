/* sleepy: bursts of computing between long sleeps, like an I/O-bound service.
 * On its own core it leaves the core idle most of the time; that idle time is
 * what a scheduler can give to other guests.  hal_arg() sets the rounds (default 5). */
#include "hal.h"

int main(void)
{
    long rounds = hal_arg() > 0 ? hal_arg() : 5;
    u32 state = 1;
    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < 3000; i++)
            state = state * 1103515245u + 12345u;    /* a burst of work */
        hal_sleep(100000);                           /* then wait, as for I/O */
    }
    hal_print("sleepy: ");
    hal_print_int(rounds);
    hal_print(" rounds, state ");
    hal_print_hex(state, 8);
    hal_putc('\n');
    return 0;
}
