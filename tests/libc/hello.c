/* hello.c: a student's first C program, as any book writes it. */
#include <stdio.h>

int main(void)
{
    printf("Hello, %s! %d\n", "world", 42);
    return 0;
}
