/* debugme: a small guest for the debugger's tests.  A global that changes
   (to watch), a function to step into and out of, lines to break on; the
   markers in comments let tests find line numbers without hard-coding them. */
#include "hal.h"

volatile long counter;                  /* watched: every store happens */

__attribute__((noinline)) static long square(long x)
{
    long y = x * x;                     /* LINE:square-body */
    return y;
}

int main(void)
{
    long total = 0;
    for (long i = 1; i <= 5; i++) {
        counter = i;                    /* LINE:store */
        total += square(counter);       /* LINE:call (reads counter) */
    }
    hal_print("total ");                /* LINE:after-loop */
    hal_print_int(total);
    hal_putc('\n');
    return (int)(total & 0x7f);
}
