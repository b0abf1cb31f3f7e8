/* sum: reads whole numbers (optionally negative) from its input, prints their sum. */
#include "hal.h"

int main(void)
{
    long sum = 0, value = 0;
    int c, negative = 0, in_number = 0, prev = ' ';
    do {
        c = hal_getc();
        if (c >= '0' && c <= '9') {
            if (!in_number)
                negative = prev == '-';
            value = value * 10 + (c - '0');
            in_number = 1;
        } else if (in_number) {            /* a number just ended */
            sum += negative ? -value : value;
            value = 0;
            in_number = 0;
        }
        prev = c;
    } while (c != HAL_EOF);
    hal_print_int(sum);
    hal_putc('\n');
    return 0;
}
