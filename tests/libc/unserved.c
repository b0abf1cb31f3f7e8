/* unserved.c: system calls the personality does not serve come back as
 * ENOSYS, and `hal run --stats` lists them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    errno = 0;
    int r = chdir("/tmp");
    printf("chdir: %d, %s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
    void *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("executable memory: %s (%s)\n", code == MAP_FAILED ? "refused" : "granted!",
           errno == EACCES ? "EACCES" : strerror(errno));
    return 0;
}
