/* read_over_code.c: a C library program asks for console input over its own
 * read-only code, once through the system call, once through the HAL.
 * read() answers EFAULT, as Linux does, and leaves the code alone; the HAL's
 * hal_read faults the program at its trap, as it does a HAL guest. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hal.h"

static int victim(int x)
{
    return x * 3 + 1;
}

int main(void)
{
    int (*volatile target)(int) = victim;
    ssize_t n = read(0, (void *)target, 600);
    printf("read: %d %s\n", (int)n, n < 0 && errno == EFAULT ? "EFAULT" : strerror(errno));
    printf("victim(2): %d\n", target(2));
    fflush(stdout);
    long m = hal_read((void *)target, 600);
    printf("hal_read: %ld, victim(2): %d\n", m, target(2));
    return 0;
}
