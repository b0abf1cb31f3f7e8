/* stdlib.c: conversions, arithmetic, sorting, searching, random numbers,
 * memory, exit handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair { int key; char name; };

static int by_key(const void *a, const void *b)
{
    return ((const struct pair *)a)->key - ((const struct pair *)b)->key;
}

static int ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void goodbye(void) { puts("atexit: goodbye"); }
static void first(void) { puts("atexit: registered last, runs first"); }

int main(void)
{
    atexit(goodbye);
    atexit(first);
    char *end;
    printf("%d %d %lld\n", atoi("  -123xyz"), atoi("7"), atoll("123456789012"));
    printf("%lld %llu %lld\n", strtoll("-0x1F", &end, 16), strtoull("777", NULL, 8), strtoll("101", NULL, 2));
    printf("%.4f %.4f [%s]\n", strtod("  -2.5e-3", &end), atof("1e2"), end);
    printf("%d %lld\n", abs(-5), llabs(-5000000000LL));
    div_t q = div(17, 5);
    printf("div %d %d\n", q.quot, q.rem);
    struct pair p[] = {{3, 'a'}, {1, 'b'}, {3, 'c'}, {2, 'd'}, {1, 'e'}, {3, 'f'}, {2, 'g'}};
    qsort(p, 7, sizeof p[0], by_key);
    for (int i = 0; i < 7; i++)
        printf("%d%c ", p[i].key, p[i].name);
    printf("\n");
    int v[20];
    srand(2024);
    for (int i = 0; i < 20; i++)
        v[i] = rand() % 1000;
    qsort(v, 20, sizeof v[0], ints);
    for (int i = 0; i < 20; i++)
        printf("%d ", v[i]);
    int want = v[7];
    int *found = bsearch(&want, v, 20, sizeof v[0], ints);
    printf("\nbsearch found %d at %d\n", *found, (int)(found - v));
    srand(1);
    int r1 = rand(), r2 = rand(), r3 = rand();
    printf("rand after srand(1): %d %d %d\n", r1, r2, r3);
    int *a = calloc(1000, sizeof *a);
    long long total = 0;
    for (int i = 0; i < 1000; i++)
        total += a[i];
    a = realloc(a, 100000 * sizeof *a);
    for (int i = 0; i < 100000; i++)
        a[i] = i;
    for (int i = 0; i < 100000; i++)
        total += a[i];
    free(a);
    char *blocks[64];
    for (int i = 0; i < 64; i++) {
        blocks[i] = malloc(16 + i * 100);
        memset(blocks[i], i, 16 + i * 100);
    }
    for (int i = 0; i < 64; i += 2)
        free(blocks[i]);
    for (int i = 1; i < 64; i += 2)
        total += blocks[i][i];
    printf("malloc total %lld\n", total);
    return 3;
}
