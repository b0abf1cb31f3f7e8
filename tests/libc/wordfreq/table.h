/* table.h: a hash table of words and their counts (table.c). */
#ifndef TABLE_H
#define TABLE_H

struct entry { char *word; int count; struct entry *next; };
struct table { struct entry **slots; int size, words; };

struct table *table_new(int size);
void table_add(struct table *t, const char *word);
struct entry **table_sorted(struct table *t);   /* by count, then alphabetically */

#endif
