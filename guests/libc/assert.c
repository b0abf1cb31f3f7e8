/* assert.c: a failed assert() reported in glibc's words,
 *
 *     prog: file.c:12: main: Assertion `x > 0' failed.
 *
 * where musl would say "Assertion failed: x > 0 (file.c: main: 12)".  Both
 * C libraries' assert() macros call __assert_fail with the same arguments;
 * then abort() ends the program, which halemu reports as killed by SIGABRT. */
#include <stdio.h>
#include <stdlib.h>

extern char *__progname;

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    fprintf(stderr, "%s%s%s:%d: %s%sAssertion `%s' failed.\n", __progname,
            __progname[0] ? ": " : "", file, line, func ? func : "", func ? ": " : "", expr);
    abort();
}
