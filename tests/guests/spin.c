/* Runs forever: only the instruction limit stops it. */
#include "hal.h"

int main(void)
{
    hal_puts("spinning");
    for (volatile unsigned long i = 0;; i++) { }
}
