/* echo.c: copies standard input to standard output, line by line. */
#include <stdio.h>

int main(void)
{
    char line[256];
    while (fgets(line, sizeof line, stdin))
        fputs(line, stdout);
    return 0;
}
