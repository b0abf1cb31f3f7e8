/* qsort.c: a stable merge sort, as glibc's qsort is (msort.c: split in
 * halves, sort each, merge taking the left element while it compares <= 0).
 *
 * zig's C library sorts with pdqsort, which is not stable: elements that
 * compare equal could come out in another order than on a Linux desktop,
 * and a program printing them would differ.  This one makes the same
 * comparisons in the same order as glibc's, so even a comparator that
 * counts its calls agrees. */
#include <stdlib.h>
#include <string.h>

typedef int (*compare_fn)(const void *, const void *);

static void merge_sort(char *b, size_t n, size_t size, compare_fn cmp, char *tmp)
{
    if (n <= 1)
        return;
    size_t n1 = n / 2, n2 = n - n1;
    char *b1 = b, *b2 = b + n1 * size, *out = tmp;
    merge_sort(b1, n1, size, cmp, tmp);
    merge_sort(b2, n2, size, cmp, tmp);
    while (n1 > 0 && n2 > 0) {
        if (cmp(b1, b2) <= 0) {
            memcpy(out, b1, size);
            b1 += size;
            n1--;
        } else {
            memcpy(out, b2, size);
            b2 += size;
            n2--;
        }
        out += size;
    }
    if (n1 > 0)
        memcpy(out, b1, n1 * size);
    memcpy(b, tmp, (n - n2) * size);
}

void qsort(void *base, size_t n, size_t size, compare_fn cmp)
{
    if (n <= 1 || size == 0)
        return;
    char small[1024];
    char *tmp = n * size <= sizeof small ? small : malloc(n * size);
    if (tmp == NULL) {                          /* no memory: sort in place, slowly but stably */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0; j--) {
                char *a = (char *)base + (j - 1) * size, *c = a + size;
                if (cmp(a, c) <= 0)
                    break;
                for (size_t k = 0; k < size; k++) {
                    char t = a[k];
                    a[k] = c[k];
                    c[k] = t;
                }
            }
        return;
    }
    merge_sort(base, n, size, cmp, tmp);
    if (tmp != small)
        free(tmp);
}
