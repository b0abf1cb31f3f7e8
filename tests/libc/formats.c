/* formats.c: printf and scanf as the C standard describes them. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    printf("[%d] [%i] [%u] [%x] [%X] [%o] [%c] [%s] [%%]\n", -42, 17, 3000000000u, 255, 255, 8, 'z', "str");
    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%.3s] [%*d] [%-*d]\n", 42, 42, 42, 42, 42, "abcdef", 6, 7, 4, 8);
    printf("[%f] [%.2f] [%10.4f] [%-10.1f] [%e] [%E] [%.3e]\n", 3.14159265, 2.675, -1.5, 0.25, 123456.789, 0.000123, 1e100);
    printf("[%g] [%G] [%g] [%g] [%g] [%.3g] [%#g] [%#x] [%#o]\n", 100000.0, 1e-10, 1e6, 0.0001, 123.456, 3.14159, 1.0, 255, 8);
    printf("[%lld] [%llu] [%llx] [%hhd] [%hd] [%zu]\n", -9223372036854775807LL - 1, 18446744073709551615ULL,
           0xdeadbeefcafeULL, (signed char)200, (short)70000, sizeof(int));
    printf("[%.0f] [%.0f] [%.0f] [%.1f] [%.15g] [%.17g]\n", 0.5, 1.5, 2.5, 0.05, 0.1, 0.1);
    char buf[8];
    int n = snprintf(buf, sizeof buf, "%s-%d", "truncated", 12345);
    printf("snprintf wrote [%s], wanted %d\n", buf, n);
    int a, b;
    char word[16];
    double d;
    int got = sscanf("  12 -7 hello 2.5e3", "%d %d %15s %lf", &a, &b, word, &d);
    printf("sscanf %d: %d %d %s %.1f\n", got, a, b, word, d);
    unsigned x;
    sscanf("ff", "%x", &x);
    printf("hex %u, strlen %zu\n", x, strlen("four"));
    puts("puts adds a newline");
    fputs("fputs does not\n", stdout);
    putchar('!');
    putchar('\n');
    fprintf(stdout, "%s %c%c\n", "fprintf", 'o', 'k');
    fwrite("fwrite 6 bytes\n", 1, 15, stdout);
    return 0;
}
