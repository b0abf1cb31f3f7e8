/* relay.c: the C library and the HAL's channels in one program, under
 * hal schedule: hal_arg() picks the role.  Role 0 sends the squares of
 * 1..5 on channel 0 with hal_send and says so with printf; role 1 receives
 * them with hal_recv, formats them with snprintf and sorts them with qsort. */
#include <stdio.h>
#include <stdlib.h>
#include "hal.h"

static int descending(const void *a, const void *b)
{
    return *(const long *)b - *(const long *)a;
}

int main(void)
{
    if (hal_arg() == 0) {
        for (long i = 1; i <= 5; i++) {
            hal_send(0, i * i);
            printf("sent %ld\n", i * i);
        }
        return 0;
    }
    long got[5];
    char line[64];
    for (int i = 0; i < 5; i++)
        got[i] = hal_recv(0);
    qsort(got, 5, sizeof got[0], descending);
    snprintf(line, sizeof line, "%ld %ld %ld %ld %ld", got[0], got[1], got[2], got[3], got[4]);
    printf("received, largest first: %s\n", line);
    return 0;
}
