/* hello: the smallest guest.  The same source prints the same line on every ISA. */
#include "hal.h"

int main(void)
{
    hal_puts("Hello from a halemu guest!");
    return 0;
}
