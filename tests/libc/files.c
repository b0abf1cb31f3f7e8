/* files.c: read the file named on the command line, and see that nothing
 * else of the host is there:  hal run files.c -- notes.txt */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: files FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        printf("cannot open %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    char line[256];
    int lines = 0;
    long chars = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        chars += (long)strlen(line);
    }
    printf("%s: %d lines, %ld bytes\n", argv[1], lines, chars);
    fseek(f, 0, SEEK_END);
    printf("ftell at the end: %ld\n", ftell(f));
    rewind(f);
    printf("first line: %s", fgets(line, sizeof line, f));
    struct stat st;
    printf("fstat: %d, regular %d, size %lld\n", fstat(fileno(f), &st), S_ISREG(st.st_mode) != 0,
           (long long)st.st_size);
    fclose(f);
    int fd = open(argv[1], O_WRONLY);
    printf("open for writing: %d (%s)\n", fd, strerror(errno));
    f = fopen("/etc/passwd", "r");
    printf("/etc/passwd: %s (%s)\n", f ? "opened!" : "not there", strerror(errno));
    printf("stdin is a terminal: %d\n", isatty(0));
    return 0;
}
