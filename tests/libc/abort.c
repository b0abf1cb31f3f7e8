/* abort.c: a program that gives up.  halemu reports it as the kernel would
 * end it: killed by SIGABRT (exit status 3, one line, no traceback). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("about to abort\n");
    fflush(stdout);
    abort();
}
