/* protect_after_store: stores to a page, then takes the right to write away
 * (or the page itself), then stores again.  The first stores leave the
 * page's TLB entry on Unicorn's fast path (hal/core/datatlb.py); the last
 * must still fault, named, as on a kernel.  argv[1]: "protect" or "unmap". */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    volatile char *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return 1;
    for (int i = 0; i < 256; i++)
        page[i] = (char)i;
    if (argc > 1 && strcmp(argv[1], "unmap") == 0)
        munmap((void *)page, 4096);
    else
        mprotect((void *)page, 4096, PROT_READ);
    printf("page[5] = %d\n", argc > 1 && strcmp(argv[1], "unmap") == 0 ? -1 : page[5]);
    fflush(stdout);
    page[7] = 1;
    printf("the store went through\n");
    return 0;
}
