/* dee: right, in a folder with a header of her own. */
#include "hal.h"
#include "bytes.h"

static void print_byte(unsigned v)
{
    const char *digits = "0123456789abcdef";
    hal_putc(digits[(v >> 4) & 15]);
    hal_putc(digits[v & 15]);
}

int main(void)
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
    hal_print("sum ");
    hal_print_int(sum);
    hal_print("\nbytes");
    for (int i = 0; i < 4; i++) {
        hal_putc(' ');
        print_byte(byte_of((unsigned)sum, i));
    }
    hal_putc('\n');
    return 0;
}
