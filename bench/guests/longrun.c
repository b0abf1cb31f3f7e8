/* longrun (MIPS only): 1,024 branch-free instructions in a row, run PASSES
 * times, for the cost of the MIPS code guard (bench/longrun.py).  Built with
 * -DSPLIT, a `b 1f; nop` after every 128 instructions cuts the run into
 * pieces no longer than the guard's SAFE_RUN, so that twin runs unguarded:
 * same work, 16 more instructions a pass. */
#include "hal.h"

#ifndef PASSES
#define PASSES 10000
#endif
#ifdef SPLIT
#define CUT "b 1f\n nop\n1:\n"
#else
#define CUT ""
#endif
/* eight common kinds: ALU, shift, multiply, load and store */
#define G8 "addu $t0, $t0, $t1\n addiu $t1, $t1, 7\n sll $t2, $t0, 3\n xor $t3, $t3, $t2\n" \
           "lw $t4, 0(%0)\n or $t5, $t4, $t3\n sw $t5, 4(%0)\n mul $t6, $t5, $t0\n"
#define G32 G8 G8 G8 G8
#define G128 G32 G32 G32 G32 CUT
#define G1024 G128 G128 G128 G128 G128 G128 G128 G128

static unsigned cell[2];

int main(void)
{
    for (int i = 0; i < PASSES; i++)
        __asm__ volatile(".set push\n.set noreorder\n" G1024 ".set pop\n"
                         : : "r"(cell) : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
    hal_print_hex(cell[1], 8);
    hal_putc('\n');
    return 0;
}
