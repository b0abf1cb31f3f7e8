/* Waits for guest 0 to exit and prints its exit code. */
#include "hal.h"

int main(void)
{
    long code = hal_wait(0);
    hal_print("guest 0 exited with ");
    hal_print_int(code);
    hal_putc('\n');
    return 0;
}
