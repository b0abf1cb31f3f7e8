/* crc32: the IEEE 802.3 CRC-32 of a fixed text, bit by bit and by table. */
#include "hal.h"

static const char text[] =
    "In the 1990s Windows NT ran one code base on x86, MIPS, PowerPC and Alpha "
    "because a thin hardware abstraction layer hid each machine's differences.";

static u32 table[256];

static u32 crc32_bitwise(const u8 *p, unsigned long n)
{
    u32 crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static u32 crc32_table(const u8 *p, unsigned long n)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    u32 crc = 0xFFFFFFFFu;
    while (n--)
        crc = table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

int main(void)
{
    unsigned long n = sizeof text - 1;
    u32 a = crc32_bitwise((const u8 *)text, n);
    u32 b = crc32_table((const u8 *)text, n);
    hal_print("crc32 of ");
    hal_print_uint(n);
    hal_print(" bytes: ");
    hal_print_hex(a, 8);
    hal_putc('\n');
    hal_print("123456789 -> ");
    hal_print_hex(crc32_bitwise((const u8 *)"123456789", 9), 8);
    hal_puts(" (the standard check value is 0xcbf43926)");
    hal_puts(a == b ? "bitwise and table methods agree" : "METHODS DISAGREE");
    return a == b ? 0 : 1;
}
