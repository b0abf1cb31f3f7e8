/* producer: sends numbers down channel 1 to a consumer, which may run on
 * another ISA with the other byte order: values travel as numbers, and the
 * HAL converts.  workload: pipeline */
#include "hal.h"

#define CHANNEL 1
#define COUNT   20

int main(void)
{
    long sum = 0;
    hal_send(CHANNEL, COUNT);
    for (long i = 1; i <= COUNT; i++) {
        long v = i * i * i - 1000;              /* some negative, some not */
        u32 work = (u32)i;
        for (int k = 0; k < 500; k++)           /* a little work per item */
            work = work * 69069u + 1u;
        hal_send(CHANNEL, v);
        sum += v;
    }
    hal_send(CHANNEL, 0x11223344);
    hal_print("producer: sent ");
    hal_print_int(COUNT);
    hal_print(" numbers, sum ");
    hal_print_int(sum);
    hal_puts(", then 0x11223344");
    return 0;
}
