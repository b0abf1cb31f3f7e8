/* fay: keeps hal_getc() in a char; where char is unsigned (ppc, RISC-V) EOF never comes. */
#include "hal.h"

static void print_byte(unsigned v)
{
    const char *digits = "0123456789abcdef";
    hal_putc(digits[(v >> 4) & 15]);
    hal_putc(digits[v & 15]);
}

int main(void)
{
    int sum = 0, value = 0, negative = 0, in_number = 0;
    char c, prev = '\n';
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
    for (int shift = 24; shift >= 0; shift -= 8) {
        hal_putc(' ');
        print_byte((unsigned)sum >> shift);
    }
    hal_putc('\n');
    return 0;
}
