/* dee's input: whole numbers, one per line, maybe negative. */
#include "hal.h"
#include "bytes.h"

int read_sum(void)
{
    int sum = 0, value = 0, negative = 0, in_number = 0, c, prev = '\n';
    while ((c = hal_getc()) != HAL_EOF) {
        if (c >= '0' && c <= '9') {
            if (!in_number)
                negative = prev == '-';
            value = value * 10 + (c - '0');
            in_number = 1;
        } else if (in_number) {
            sum += negative ? -value : value;
            value = in_number = 0;
        }
        prev = c;
    }
    if (in_number)
        sum += negative ? -value : value;
    return sum;
}
