/* A guest in three files and a header folder: `hal run main.c stats.c answer.S -I include`. */
#include "hal.h"
#include "stats.h"

int main(void)
{
    static const long values[] = {3, 1, 4, 1, 5, 9, 2, 6};
    long n = sizeof values / sizeof values[0];
    hal_print("sum ");
    hal_print_int(sum(values, n));
    hal_print(", max ");
    hal_print_int(max(values, n));
    hal_print(", scaled ");
    hal_print_int(sum(values, n) * SCALE);
    hal_print(", answer ");
    hal_print_int(answer());
    hal_putc('\n');
    return 0;
}
