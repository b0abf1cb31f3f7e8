/* ivy: keeps the numbers in a list, and walks it as if it were never empty. */
#include "hal.h"

struct node { int value; struct node *next; };
static struct node pool[4096];

static void print_byte(unsigned v)
{
    const char *digits = "0123456789abcdef";
    hal_putc(digits[(v >> 4) & 15]);
    hal_putc(digits[v & 15]);
}

int main(void)
{
    struct node *head = 0;
    int count = 0, value = 0, negative = 0, in_number = 0, c, prev = '\n';
    do {
        c = hal_getc();
        if (c >= '0' && c <= '9') {
            if (!in_number)
                negative = prev == '-';
            value = value * 10 + (c - '0');
            in_number = 1;
        } else if (in_number && count < 4096) {
            pool[count].value = negative ? -value : value;
            pool[count].next = head;
            head = &pool[count++];
            value = in_number = 0;
        }
        prev = c;
    } while (c != HAL_EOF);
    int sum = 0;
    struct node *n = head;
    do {                        /* the bug: with no numbers, head is NULL */
        sum += n->value;
        n = n->next;
    } while (n);
    hal_print("sum ");
    hal_print_int(sum);
    hal_print("\nbytes");
    for (int shift = 24; shift >= 0; shift -= 8) {
        hal_putc(' ');
        print_byte((unsigned)sum >> shift);
    }
    hal_putc('\n');
    return 0;
}
