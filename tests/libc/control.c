/* control.c: setjmp/longjmp, time, errno and strerror, assert, exit status. */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static jmp_buf back;
static int depth;

static void dive(int n)
{
    depth = n;
    if (n == 5)
        longjmp(back, n * 10);
    dive(n + 1);
}

int main(void)
{
    int got = setjmp(back);
    if (got == 0)
        dive(0);
    printf("longjmp brought back %d from depth %d\n", got, depth);

    struct tm t = {0};
    t.tm_year = 124;            /* 2024 */
    t.tm_mon = 1;               /* February */
    t.tm_mday = 29;
    t.tm_hour = 12;
    time_t when = timegm(&t);
    char text[64];
    strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %A %j", gmtime(&when));
    printf("%lld %s\n", (long long)when, text);
    struct tm later = t;
    later.tm_mday += 2;
    printf("two days later: %.0f seconds\n", difftime(timegm(&later), when));
    printf("clock runs: %d, time runs: %d\n", clock() >= 0, time(NULL) > 0);

    errno = 0;
    long long big = strtoll("99999999999999999999", NULL, 10);
    printf("strtoll overflow: %lld, errno %s: %s\n", big, errno == ERANGE ? "ERANGE" : "?", strerror(errno));
    errno = 0;
    FILE *f = fopen("no-such-file.txt", "r");
    printf("fopen: %s, errno %s: %s\n", f ? "opened" : "NULL", errno == ENOENT ? "ENOENT" : "?", strerror(errno));
    printf("%s / %s / %s\n", strerror(EDOM), strerror(EINVAL), strerror(0));
    assert(INT_MAX > 0);
    printf("INT_MAX %d, LLONG_MAX %lld\n", INT_MAX, LLONG_MAX);
    exit(4);
}
