/* Asks the HAL to print memory the guest does not have. */
#include "hal.h"

int main(void)
{
    hal_write((const void *)0x10, 8);
    return 0;
}
