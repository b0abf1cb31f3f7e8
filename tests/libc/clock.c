/* clock.c: time on the virtual clock (one instruction, one nanosecond, from
 * 2000-01-01), sleeping, and the same "random" bytes on every run. */
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

int main(void)
{
    printf("time %lld\n", (long long)time(NULL));
    struct timespec a, b, s = {0, 250000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&s, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("monotonic %lld ns, slept at least 250 us: %d\n", (long long)a.tv_nsec, slept >= 250000);
    unsigned char r[8];
    getrandom(r, sizeof r, 0);
    printf("random");
    for (int i = 0; i < 8; i++)
        printf(" %02x", r[i]);
    printf("\n");
    return 0;
}
