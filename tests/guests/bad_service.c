/* Calls a HAL service number that does not exist. */
#include "hal.h"

int main(void)
{
    hal_trap(99, 1, 2, 3);
    hal_puts("unreachable");
    return 0;
}
