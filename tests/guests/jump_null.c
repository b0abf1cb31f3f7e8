/* Calls through a null function pointer: a jump into unmapped memory. */
#include "hal.h"

typedef void (*fn)(void);
static volatile fn target;   /* zero, and volatile so the call is not optimised away */

int main(void)
{
    hal_puts("calling a null function pointer");
    target();
    return 0;
}
