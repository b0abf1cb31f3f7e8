/* collatz: the longest Collatz chain below a bound: branches and divisions. */
#include "hal.h"

#define BOUND 3000

int main(void)
{
    u32 best = 1, best_steps = 0, total = 0;
    for (u32 start = 1; start < BOUND; start++) {
        u32 n = start, steps = 0;
        while (n != 1) {
            n = (n % 2) ? 3 * n + 1 : n / 2;
            steps++;
        }
        total += steps;
        if (steps > best_steps) {
            best_steps = steps;
            best = start;
        }
    }
    hal_print("longest Collatz chain below ");
    hal_print_int(BOUND);
    hal_print(": ");
    hal_print_uint(best);
    hal_print(" takes ");
    hal_print_uint(best_steps);
    hal_puts(" steps");
    hal_print("total steps ");
    hal_print_uint(total);
    hal_putc('\n');
    return 0;
}
