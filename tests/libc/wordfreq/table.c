/* table.c: the word table of wordfreq, separately compiled. */
#include <stdlib.h>
#include <string.h>
#include "table.h"

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;                   /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

struct table *table_new(int size)
{
    struct table *t = malloc(sizeof *t);
    t->slots = calloc(size, sizeof *t->slots);
    t->size = size;
    t->words = 0;
    return t;
}

void table_add(struct table *t, const char *word)
{
    struct entry **slot = &t->slots[hash(word) % t->size];
    for (struct entry *e = *slot; e; e = e->next)
        if (strcmp(e->word, word) == 0) {
            e->count++;
            return;
        }
    struct entry *e = malloc(sizeof *e);
    e->word = strdup(word);
    e->count = 1;
    e->next = *slot;
    *slot = e;
    t->words++;
}

static int by_count(const void *a, const void *b)
{
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->word, y->word);
}

struct entry **table_sorted(struct table *t)
{
    struct entry **all = malloc(t->words * sizeof *all);
    int n = 0;
    for (int i = 0; i < t->size; i++)
        for (struct entry *e = t->slots[i]; e; e = e->next)
            all[n++] = e;
    qsort(all, n, sizeof *all, by_count);
    return all;
}
