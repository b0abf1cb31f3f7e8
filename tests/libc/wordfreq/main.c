/* wordfreq: the most frequent words of its input, in two C files and a
 * header: hal run main.c table.c --isa all < text */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include "table.h"

int main(int argc, char **argv)
{
    int top = argc > 1 ? atoi(argv[1]) : 10;
    struct table *t = table_new(509);
    char word[64];
    int len = 0, c, total = 0;
    while ((c = getchar()) != EOF) {
        if (isalpha(c) || c == '\'') {
            if (len < 63)
                word[len++] = (char)tolower(c);
        } else if (len) {
            word[len] = 0;
            table_add(t, word);
            total++;
            len = 0;
        }
    }
    if (len) {
        word[len] = 0;
        table_add(t, word);
        total++;
    }
    struct entry **sorted = table_sorted(t);
    printf("%d words, %d different\n", total, t->words);
    for (int i = 0; i < top && i < t->words; i++)
        printf("%4d  %s\n", sorted[i]->count, sorted[i]->word);
    return 0;
}
