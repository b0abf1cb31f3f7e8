/* Exits with status 42 after printing a line. */
#include "hal.h"

int main(void)
{
    hal_puts("exiting with 42");
    return 42;
}
