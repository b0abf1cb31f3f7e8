/* Reads through a null pointer: must fault with the address 0x0. */
#include "hal.h"

int main(void)
{
    hal_puts("about to read address 0");
    return *(volatile int *)0;
}
