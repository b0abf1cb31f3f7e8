/* Asks hal_read to put console input over its own read-only code, as a
 * hostile student might, to run whatever the input holds. */
#include "hal.h"

static long victim(long x)
{
    return x * 3 + 1;
}

int main(void)
{
    long n = hal_read((void *)victim, 600);
    hal_print("read ");
    hal_print_int(n);
    hal_putc('\n');
    return (int)victim(n);
}
