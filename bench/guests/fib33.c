/* fib33: the workload for the parallel speed-up, recursive fib(33): about
 * 130 million instructions, long enough that emulation outweighs start-up. */
#define FIB_N 33
#include "fib27.c"
