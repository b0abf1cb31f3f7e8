/* wc: counts the lines, words and bytes of its input, like Unix wc. */
#include "hal.h"

static int is_space(int c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int main(void)
{
    unsigned long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = hal_getc()) != HAL_EOF) {
        bytes++;
        if (c == '\n')
            lines++;
        if (is_space(c))
            in_word = 0;
        else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    hal_print_uint(lines);
    hal_putc(' ');
    hal_print_uint(words);
    hal_putc(' ');
    hal_print_uint(bytes);
    hal_putc('\n');
    return 0;
}
