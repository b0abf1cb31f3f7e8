/* Writes to the console without end: only the output limit stops it. */
#include "hal.h"

int main(void)
{
    for (;;)
        hal_puts("flood flood flood flood flood flood flood flood");
}
