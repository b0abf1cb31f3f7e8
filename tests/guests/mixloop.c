/* mixloop: a fixed loop over four words in .data, small enough to count its
 * instruction mix by hand from `hal disasm` (tests/test_compare.py). */
#include "hal.h"

static volatile u32 cell[4] = {1, 2, 3, 4};

int main(void)
{
    u32 sum = 0;
    for (int i = 0; i < 4; i++) {
        sum += cell[i];         /* one load */
        cell[i] = sum;          /* one store */
    }
    return (int)(sum & 0x7f);   /* 1 + 2 + 3 + 4 = 10 */
}
