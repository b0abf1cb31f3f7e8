/* Copies console input to output, to check hal_read. */
#include "hal.h"

int main(void)
{
    char buf[16];
    long n, total = 0;
    while ((n = hal_read(buf, sizeof buf)) > 0) {
        hal_write(buf, n);
        total += n;
    }
    hal_print("bytes: ");
    hal_print_int(total);
    hal_putc('\n');
    return 0;
}
