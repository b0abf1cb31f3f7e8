/* consumer: receives the producer's numbers from channel 1 and sums them.
 * workload: pipeline */
#include "hal.h"

#define CHANNEL 1

int main(void)
{
    long count = hal_recv(CHANNEL), sum = 0, min = 0, max = 0;
    for (long i = 0; i < count; i++) {
        long v = hal_recv(CHANNEL);
        sum += v;
        if (i == 0 || v < min) min = v;
        if (i == 0 || v > max) max = v;
    }
    long magic = hal_recv(CHANNEL);
    hal_print("consumer: received ");
    hal_print_int(count);
    hal_print(" numbers, sum ");
    hal_print_int(sum);
    hal_print(", min ");
    hal_print_int(min);
    hal_print(", max ");
    hal_print_int(max);
    hal_putc('\n');
    hal_print("consumer: then ");
    hal_print_hex((unsigned long)magic, 8);
    hal_puts(magic == 0x11223344 ? " (byte order preserved)" : " (BYTE ORDER MANGLED)");
    return 0;
}
