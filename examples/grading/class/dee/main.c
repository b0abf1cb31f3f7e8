/* dee: right, in a folder: two sources and a header of her own. */
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
    int sum = read_sum();
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
