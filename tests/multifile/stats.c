/* The statistics half of the multi-file guest. */
#include "stats.h"

long sum(const long *v, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += v[i];
    return s;
}

long max(const long *v, long n)
{
    long m = v[0];
    for (long i = 1; i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}
