/* Found through -I include. */
#ifndef STATS_H
#define STATS_H

#ifndef SCALE
#define SCALE 1             /* -D SCALE=N changes it */
#endif

long sum(const long *v, long n);
long max(const long *v, long n);
long answer(void);          /* answer.S: the same function in each ISA's assembly */

#endif
