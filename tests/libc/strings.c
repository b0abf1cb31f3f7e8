/* strings.c: <string.h> and <ctype.h>. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char s[64] = "Hello, World";
    printf("%zu %d %d %d\n", strlen(s), strcmp("abc", "abd") < 0, strncmp("abcdef", "abcxyz", 3), memcmp("ab", "ab", 2));
    strcat(s, "!");
    printf("%s | %s | %s\n", s, strchr(s, 'o'), strrchr(s, 'o'));
    printf("%s | %s\n", strstr(s, "World"), strpbrk(s, ",!"));
    printf("%zu %zu\n", strspn("aaabbc", "ab"), strcspn("hello world", " "));
    char copy[64];
    strncpy(copy, s, 5);
    copy[5] = 0;
    printf("[%s]\n", copy);
    memmove(s + 2, s, 5);
    printf("[%s]\n", s);
    memset(copy, '*', 3);
    printf("[%s]\n", copy);
    char line[] = "the quick  brown fox";
    for (char *w = strtok(line, " "); w; w = strtok(NULL, " "))
        printf("<%s>", w);
    printf("\n");
    const char *sample = "Hi 42, x_y!\t\n";
    for (const char *p = sample; *p; p++)
        printf("%d%d%d%d%d%d ", !!isalpha(*p), !!isdigit(*p), !!isspace(*p), !!isupper(*p),
               !!ispunct(*p), !!isalnum(*p));
    printf("\n");
    for (const char *p = "MiXeD 123"; *p; p++)
        putchar(tolower(*p));
    for (const char *p = " mixed"; *p; p++)
        putchar(toupper(*p));
    printf("\n%d %d %d\n", !!isxdigit('f'), !!isxdigit('g'), toupper('1'));
    return 0;
}
