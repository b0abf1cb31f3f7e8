/* endian: how a 32-bit integer lies in memory.  This is the one bundled guest
 * whose output differs between ISAs, and should: PowerPC is big-endian. */
#include "hal.h"

int main(void)
{
    u32 word = 0x11223344u;
    const u8 *bytes = (const u8 *)&word;

    hal_print("the 32-bit value ");
    hal_print_hex(word, 8);
    hal_puts(" is stored as bytes:");
    for (int i = 0; i < 4; i++) {
        hal_print("  address +");
        hal_print_int(i);
        hal_print(": ");
        hal_print_hex(bytes[i], 2);
        hal_putc('\n');
    }
    if (bytes[0] == 0x44)
        hal_puts("least significant byte first: little-endian");
    else if (bytes[0] == 0x11)
        hal_puts("most significant byte first: big-endian");
    else
        hal_puts("mixed byte order");
    return 0;
}
